using System.Text.Json;
using ReleaseKit.Bundling;
using ReleaseKit.Inventory;
using ReleaseKit.Tests.Inventory;

namespace ReleaseKit.Tests.EndToEnd;

/// <summary>What the end-to-end releases (library and host) must ship: notices in the bundle and a valid SBOM that matches it.</summary>
public static class ShipsItsInventory
{
    public static async Task AssertAsync(string unpackedBundle, string sbom, string tarballSha256)
    {
        var notices = File.ReadAllText(Path.Combine(unpackedBundle, ThirdPartyNotices.FileName));
        notices.Should().Contain("CPython 3.").And.Contain("mlx 0.30.0\nLicense: MIT\n").And.Contain(ReleaseProject.MlxLicense);
        notices.Should().Contain("gpl-helper 1.2.0\nLicense: GPL-3.0-only").And.Contain("mystery-lib 0.1.0\nLicense: not declared by the package");

        File.Exists(sbom).Should().BeTrue("Package writes the SBOM beside the tarball");
        (await InventoryTests.Validate(sbom)).Should().BeEmpty("the SBOM must pass the official CycloneDX 1.6 schema");
        var json = File.ReadAllText(sbom);
        SoftwareBillOfMaterials.SubjectSha256(json).Should().Be(tarballSha256);
        using var bom = JsonDocument.Parse(json);
        var shipped = PythonDistributions.Read(new BundleLayout(BundleVariant.External, unpackedBundle, "msty-mlx-studio").Sites).Select(x => x.Purl).ToArray();
        bom.RootElement.GetProperty("components").EnumerateArray()
            .Select(x => x.TryGetProperty("purl", out var purl) ? purl.GetString() : null)
            .Where(x => x?.StartsWith("pkg:pypi/") == true)
            .Should().BeEquivalentTo(shipped, "the SBOM lists exactly the distributions in _vendor/ and the embedded python's site-packages");
        shipped.Should().Contain(["pkg:pypi/mlx@0.30.0", "pkg:pypi/mlx-knife@2.0.4", "pkg:pypi/gpl-helper@1.2.0"]);
        shipped.Should().Contain(x => x.StartsWith("pkg:pypi/pip@"), "python-build-standalone ships pip in its own site-packages");
        notices.Should().MatchRegex(@"\npip [0-9.]+\nLicense: ", "the embedded python's pip is in the notices too");
    }
}
