using System.Text.Json;
using ReleaseKit.Inventory;
using ReleaseKit.Settings;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Inventory;

/// <summary>Reading what is installed, the notices, the licence policy and the CycloneDX SBOM, on dist-info folders as pip leaves them.</summary>
public class InventoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Site => _temp["site"];

    private void DistInfo(string folder, string metadata, params (string Path, string Text)[] files)
    {
        _temp.Write($"site/{folder}/METADATA", metadata);
        _temp.Write($"site/{folder}/RECORD", $"{folder}/METADATA,,\n");
        foreach (var (path, text) in files)
            _temp.Write($"site/{folder}/{path}", text);
    }

    private void TypicalSite()
    {
        DistInfo("mlx-0.30.0.dist-info", "Metadata-Version: 2.4\nName: mlx\nVersion: 0.30.0\nLicense-Expression: MIT\nLicense-File: LICENSE\n\nLong description: License: GPL\n",
            ("licenses/LICENSE", "MIT License\nCopyright (c) 2023 Apple Inc.\n"));
        DistInfo("Requests-2.32.3.dist-info", "Metadata-Version: 2.1\nName: Requests\nVersion: 2.32.3\nLicense: Apache-2.0\nLicense-File: LICENSE\n",
            ("LICENSE", "Apache License\nVersion 2.0\n"));
        DistInfo("numpy-2.1.0.dist-info", "Metadata-Version: 2.1\nName: numpy\nVersion: 2.1.0\nLicense: Copyright (c) 2005-2024, NumPy Developers.\n        All rights reserved.\nClassifier: License :: OSI Approved :: BSD License\n",
            ("LICENSE.txt", "BSD 3-Clause\n"), ("NOTICE", "numpy notice\n"));
        DistInfo("classified-1.0.dist-info", "Metadata-Version: 2.1\nName: classified\nVersion: 1.0\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)\n");
        DistInfo("bare-0.1.dist-info", "Metadata-Version: 2.1\nName: bare\nVersion: 0.1\n");
        DistInfo("packed-1.0.dist-info", "Metadata-Version: 2.4\nName: packed\nVersion: 1.0\nLicense-Expression: Apache-2.0 AND BSD-3-Clause\n",
            ("licenses/LICENSE", "Apache\n"), ("licenses/vendored/NOTICE", "vendored notice\n"));
    }

    [Fact]
    public void Reads_name_version_licence_and_licence_texts_from_each_dist_info()
    {
        TypicalSite();

        var distributions = PythonDistributions.Read(Site);

        distributions.Select(x => x.NormalizedName).Should().Equal("bare", "classified", "mlx", "numpy", "packed", "requests");
        var byName = distributions.ToDictionary(x => x.NormalizedName);
        byName["mlx"].Should().Match<PythonDistribution>(x => x.License == "MIT" && x.LicenseKind == LicenseKind.Expression);
        byName["mlx"].LicenseFiles.Should().ContainSingle().Which.Should().Be(new LicenseFile("licenses/LICENSE", "MIT License\nCopyright (c) 2023 Apple Inc.\n"));
        byName["requests"].LicenseFiles.Select(x => x.Name).Should().Equal("LICENSE");
        byName["requests"].Purl.Should().Be("pkg:pypi/requests@2.32.3");
        byName["numpy"].License.Should().Be("Copyright (c) 2005-2024, NumPy Developers.\nAll rights reserved.");
        byName["numpy"].LicenseFiles.Select(x => x.Name).Should().Equal("LICENSE.txt", "NOTICE");
        byName["classified"].Should().Match<PythonDistribution>(x => x.License == "GNU Lesser General Public License v3 (LGPLv3)" && x.LicenseKind == LicenseKind.Name);
        byName["bare"].Should().Match<PythonDistribution>(x => x.License == null && x.LicenseKind == LicenseKind.None && x.LicenseFiles.Count == 0);
        byName["packed"].LicenseFiles.Select(x => x.Name).Should().Equal("licenses/LICENSE", "licenses/vendored/NOTICE");
        byName["bare"].RecordSha256.Should().MatchRegex("^[0-9a-f]{64}$");
    }

    [Fact]
    public void Notices_hold_CPython_and_every_distribution_with_its_licence_texts_in_a_stable_order()
    {
        TypicalSite();
        var license = _temp.Write("python/lib/python3.12/LICENSE.txt", "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2\r\n");
        var distributions = PythonDistributions.Read(Site);

        var first = File.ReadAllText(ThirdPartyNotices.Write(_temp.Path, "msty-mlx-studio", "3.12", license, distributions));
        var second = File.ReadAllText(ThirdPartyNotices.Write(_temp.Path, "msty-mlx-studio", "3.12", license, distributions.Reverse().ToArray().OrderBy(x => x.NormalizedName, StringComparer.Ordinal).ToArray()));

        second.Should().Be(first);
        first.Should().Contain("CPython 3.12\nLicense: PSF-2.0").And.Contain("PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2\n").And.NotContain("\r");
        first.Should().Contain("mlx 0.30.0\nLicense: MIT\n").And.Contain("--- licenses/LICENSE ---\nMIT License\nCopyright (c) 2023 Apple Inc.\n");
        first.Should().Contain("bare 0.1\nLicense: not declared by the package\n").And.Contain("No licence file ships with this distribution.");
        first.IndexOf("bare 0.1", StringComparison.Ordinal).Should().BeLessThan(first.IndexOf("mlx 0.30.0", StringComparison.Ordinal));
    }

    [Fact]
    public void The_policy_finds_copyleft_and_undeclared_licences_and_fails_only_when_asked()
    {
        TypicalSite();

        var findings = LicensePolicy.Check(PythonDistributions.Read(Site));

        findings.Select(x => x.ToString()).Should().Equal("bare 0.1 (no licence information)", "classified 1.0 (copyleft: GNU Lesser General Public License v3 (LGPLv3))");
        FluentActions.Invoking(() => LicensePolicy.Enforce(findings, LicensePolicyMode.Warn)).Should().NotThrow();
        FluentActions.Invoking(() => LicensePolicy.Enforce(findings, LicensePolicyMode.Fail)).Should().Throw<ReleaseException>()
            .WithMessage("The licence policy stops the release: bare 0.1 (no licence information); classified 1.0 (copyleft*LICENSE_POLICY=warn*");
        LicensePolicy.Check([new PythonDistribution("x", "1", "GPL-2.0-or-later WITH Bootloader-exception", LicenseKind.Expression, [], null)]).Should().ContainSingle();
        LicensePolicy.Check([new PythonDistribution("x", "1", "BSD-3-Clause OR Apache-2.0", LicenseKind.Expression, [], null)]).Should().BeEmpty();
    }

    [Fact]
    public async Task The_SBOM_is_valid_CycloneDX_1_6_and_names_the_tarball_CPython_every_distribution_and_the_launcher()
    {
        TypicalSite();
        var distributions = PythonDistributions.Read(Site);
        var time = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600);
        var json = SoftwareBillOfMaterials.Create("msty-mlx-studio", "2.0.0", "msty-mlx-studio-2.0.0.tgz", new string('a', 64), time,
            new BundledPython("3.12.12", "20251014", "https://github.com/astral-sh/python-build-standalone/releases/download/20251014/cpython-3.12.12%2B20251014-aarch64-apple-darwin-install_only.tar.gz", new string('b', 64)),
            distributions, new string('c', 64));
        var path = _temp.Write("bom.cdx.json", json);

        (await Validate(path)).Should().BeEmpty();
        using var bom = JsonDocument.Parse(json);
        var root = bom.RootElement;
        root.GetProperty("metadata").GetProperty("component").GetProperty("hashes")[0].GetProperty("content").GetString().Should().Be(new string('a', 64));
        SoftwareBillOfMaterials.SubjectSha256(json).Should().Be(new string('a', 64));
        var components = root.GetProperty("components").EnumerateArray().ToArray();
        components.Where(x => x.TryGetProperty("purl", out var purl) && purl.GetString()!.StartsWith("pkg:pypi/")).Select(x => x.GetProperty("purl").GetString())
            .Should().Equal(distributions.Select(x => x.Purl));
        components.Should().Contain(x => x.GetProperty("name").GetString() == "cpython" && x.GetProperty("version").GetString() == "3.12.12");
        components.Should().Contain(x => x.GetProperty("name").GetString() == "msty-mlx-studio launcher");
        SoftwareBillOfMaterials.Create("msty-mlx-studio", "2.0.0", "msty-mlx-studio-2.0.0.tgz", new string('a', 64), time,
            new BundledPython("3.12.12", "20251014", null, null), distributions, new string('c', 64)).Should().NotBe(json).And.Contain(root.GetProperty("serialNumber").GetString());
    }

    [Fact]
    public async Task The_schema_check_catches_a_broken_SBOM()
    {
        var path = _temp.Write("broken.cdx.json", """{ "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [ { "type": "wheel", "name": "x" } ] }""");

        (await Validate(path)).Should().ContainSingle().Which.Should().Contain("/components/0/type");
    }

    /// <summary>The errors of the official CycloneDX 1.6 JSON schema (from npm, with ajv) for a file.</summary>
    internal static async Task<IReadOnlyList<string>> Validate(string path)
    {
        Directory.Exists(ProjectRoot.File("tests/tools/node_modules/@cyclonedx/cyclonedx-library")).Should().BeTrue("the schema comes from npm: run .ci/run or npm install --prefix tests/tools");
        var result = await new ToolRunner(new SecretMasker()).RunAsync(new ToolCommand("node", ProjectRoot.File("tests/tools/validate-cyclonedx.cjs"), path));
        return JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray()
            .Select(x => $"{x.GetProperty("instancePath").GetString()}: {x.GetProperty("message").GetString()}").ToArray();
    }
}
