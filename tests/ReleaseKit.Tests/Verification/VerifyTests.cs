using System.Text.RegularExpressions;
using ReleaseKit.Packaging;
using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Verification;

public class VerifyTests : IDisposable, IClassFixture<MachO.MachOFixtures>
{
    private const string Version = "2.0.0b6";
    private readonly TempDirectory _temp = new();
    private readonly FakeTools _fakes = new();

    /// <summary>A packaged bundle of real (linker-signed, ad-hoc) arm64 Mach-O files.</summary>
    public VerifyTests(MachO.MachOFixtures machO)
    {
        var bundle = _temp["dist-ext-python/msty-mlx-studio"];
        void Place(string fixture, string relative) => machO.Place(fixture, bundle, relative);
        Place("launcher", "msty-mlx-studio");
        Place("launcher", "python/bin/python3.12");
        TreeBuilder.Symlink(bundle, "python/bin/python3", "python3.12");
        TreeBuilder.File(bundle, "python/lib/python3.12/os.py", "", TreeBuilder.Regular);
        Place("liba.dylib", "_vendor/mlx/lib/libmlx.dylib");
        TreeBuilder.File(bundle, "_vendor/mlx/__init__.py", "", TreeBuilder.Regular);
        SignatureRecord.Write(bundle, new SignatureRecord("Developer ID Application: Example (TEAM123456)", false, 3, SignatureRecord.FingerprintOf(bundle), DateTimeOffset.UtcNow)
        {
            Contents = SignatureRecord.HashContentsAsync(bundle, CancellationToken.None).GetAwaiter().GetResult(),
        });
        Packager.PackageAsync(bundle, "msty-mlx-studio", Version, _temp["artifacts"], DeterministicTar.DefaultTime, false, CancellationToken.None).GetAwaiter().GetResult();
        File.WriteAllText(_temp["package.json"], $$"""{ "version": "{{Version}}" }""");

        _fakes.Add("xattr");
        _fakes.AddScript("spctl", """
            if [ "$3" = "install" ]; then echo "$5: accepted" >&2; echo "source=Notarized Developer ID" >&2; exit 0; fi
            echo "$5: rejected (the code is valid but does not seem to be an app)" >&2; echo "origin=Developer ID Application: Example (TEAM123456)" >&2; exit 3
            """);
        _fakes.AddScript("codesign", """
            file="${@: -1}"
            if [ "$1" = "--verify" ]; then echo "$file: valid on disk" >&2; echo "$file: satisfies its Designated Requirement" >&2; exit 0; fi
            echo "$file: valid on disk" >&2; echo "$file: explicit requirement satisfied" >&2; exit 0
            """);
    }

    public void Dispose()
    {
        _temp.Dispose();
        _fakes.Dispose();
    }

    private string Tarball => _temp[$"artifacts/msty-mlx-studio-{Version}.tgz"];

    private ReleasePipeline Steps(bool onMacOS = true, string? artifact = null, string signId = "-", string? preflightJson = null) =>
        new(new ReleaseSettings { RootDirectory = _temp.Path, Version = Version, Verify = new() { Artifact = artifact, VerifyPreflightJson = preflightJson }, Signing = new() { SignId = signId } }, _fakes.Runner())
        {
            VerifyOnMacOS = onMacOS,
            WorkDirectory = Work,
        };

    // A folder of this test's own: end-to-end tests verify in parallel, in the system's temp folder.
    private string Work => Directory.CreateDirectory(_temp["work"]).FullName;

    private IEnumerable<string> VerifyFolders() => Directory.GetDirectories(Work, "verify-msty-mlx-studio-*");

    [Fact]
    public async Task Passes_a_notarized_release_and_runs_the_checks_that_work_for_a_command_line_binary()
    {
        var before = VerifyFolders().ToArray();
        using var log = LogCapture.Start();

        await Steps().VerifyAsync();

        var xattr = _fakes.Calls("xattr").Single();
        xattr.Take(2).Should().Equal("-w", "com.apple.quarantine");
        xattr[2].Should().MatchRegex("^0081;[0-9a-f]{8};msty-mlx-studio-verify;[0-9A-F-]{36}$");
        xattr[3].Should().EndWith("/msty-mlx-studio/msty-mlx-studio");
        var spctl = _fakes.Calls("spctl");
        spctl[0].Take(4).Should().Equal("-a", "-t", "install", "-vv");
        spctl[1].Take(4).Should().Equal("-a", "-t", "exec", "-vv");
        var codesign = _fakes.Calls("codesign");
        codesign[0].Take(3).Should().Equal("-vvvv", "-R=notarized", "--check-notarization");
        codesign.Skip(1).Select(x => Path.GetFileName(x[^1])).Should().BeEquivalentTo(["libmlx.dylib", "msty-mlx-studio", "python3.12"]);
        codesign.Skip(1).Should().OnlyContain(x => x.Take(3).SequenceEqual(new[] { "--verify", "--strict", "--verbose=2" }));
        log.Messages.Should().Contain(x => x.Contains("spctl -t exec") && x.Contains("reported") && x.Contains("does not seem to be an app"));
        VerifyFolders().Should().BeEquivalentTo(before, "the extracted copy is always deleted");
    }

    [Fact]
    public async Task A_tarball_packaged_in_this_run_must_unpack_to_exactly_what_Sign_hashed()
    {
        var bundle = _temp["dist-ext-python/msty-mlx-studio"];
        var record = SignatureRecord.Read(bundle)!;
        var verifier = (SignatureRecord? signed) => new ReleaseKit.Verification.ReleaseVerifier(_fakes.Runner(), onMacOS: false, workDirectory: Work) { Signed = signed };

        var matching = await verifier(record).VerifyAsync(Tarball, "msty-mlx-studio", CancellationToken.None);
        var changed = await verifier(record with { Contents = new Dictionary<string, string>(record.Contents) { ["_vendor/mlx/__init__.py"] = new string('0', 64) } })
            .VerifyAsync(Tarball, "msty-mlx-studio", CancellationToken.None);
        var unknown = await verifier(null).VerifyAsync(Tarball, "msty-mlx-studio", CancellationToken.None);

        matching.Should().ContainSingle(x => x.Check == "signed contents").Which.Passed.Should().BeTrue();
        changed.Should().ContainSingle(x => x.Check == "signed contents").Which.Should()
            .Match<ReleaseKit.Verification.VerifyCheck>(x => x.Fails && x.Detail.StartsWith("_vendor/mlx/__init__.py changed after it was signed"));
        unknown.Should().NotContain(x => x.Check == "signed contents", "a tarball from another run may come from another bundle");
    }

    [Fact]
    public async Task Fails_when_Gatekeeper_rejects_the_launcher()
    {
        _fakes.AddScript("spctl", """echo "$5: rejected" >&2; echo "source=Unnotarized Developer ID" >&2; exit 3""");

        var act = () => Steps(signId: "Developer ID Application: Example (TEAM123456)").VerifyAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("spctl -t install").And.Contain("Unnotarized");
    }

    [Fact]
    public async Task An_ad_hoc_build_only_reports_what_Gatekeeper_and_the_notarization_check_say()
    {
        // What the real tools answer for an ad-hoc, unnotarized launcher (the test workflow's Mac job).
        _fakes.AddScript("spctl", """echo "$5: rejected" >&2; echo "source=no usable signature" >&2; exit 3""");
        _fakes.AddScript("codesign", """
            file="${@: -1}"
            if [ "$1" = "--verify" ]; then echo "$file: valid on disk" >&2; echo "$file: satisfies its Designated Requirement" >&2; exit 0; fi
            echo "$file: code has no resources but signature indicates they must be present" >&2; exit 3
            """);
        using var log = LogCapture.Start();

        await Steps(signId: "-").VerifyAsync();

        log.Messages.Should().Contain(x => x.StartsWith("Ad-hoc build: Gatekeeper and the notarization check are only reported"));
        log.Messages.Should().Contain(x => x.Contains("spctl -t install") && x.Contains("reported"));
        _fakes.Calls("codesign").Count(x => x[0] == "--verify").Should().Be(3, "every Mach-O's signature still decides");
    }

    [Fact]
    public async Task Fails_naming_the_file_whose_signature_does_not_verify()
    {
        _fakes.AddScript("codesign", """
            file="${@: -1}"
            case "$file" in *libmlx.dylib) echo "$file: invalid signature (code or signature have been modified)" >&2; exit 1;; esac
            exit 0
            """);
        var before = VerifyFolders().ToArray();

        var act = () => Steps().VerifyAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message
            .Should().Contain("_vendor/mlx/lib/libmlx.dylib: codesign --verify").And.Contain("invalid signature");
        VerifyFolders().Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Fails_on_a_checksum_mismatch_without_extracting()
    {
        File.WriteAllText(Tarball + ".sha256", $"{new string('0', 64)}  msty-mlx-studio-{Version}.tgz\n");

        var act = () => Steps().VerifyAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("sha256").And.Contain($"expected {new string('0', 64)}");
        _fakes.Calls("xattr").Should().BeEmpty();
    }

    [Fact]
    public async Task Checks_that_the_SBOM_beside_the_tarball_names_this_tarball()
    {
        var sbom = _temp[$"artifacts/msty-mlx-studio-{Version}.cdx.json"];
        File.WriteAllText(sbom, $$"""{ "metadata": { "component": { "hashes": [ { "alg": "SHA-256", "content": "{{new string('0', 64)}}" } ] } } }""");

        var act = () => Steps(onMacOS: false).VerifyAsync();

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*msty-mlx-studio-*.cdx.json: sbom subject (names sha256 0000*, the tarball has *");
        var actual = await ReleaseKit.Tooling.FileHash.Sha256Async(Tarball, CancellationToken.None);
        File.WriteAllText(sbom, File.ReadAllText(sbom).Replace(new string('0', 64), actual));
        await Steps(onMacOS: false).VerifyAsync();
    }

    [Fact]
    public async Task Checks_the_artifact_it_is_given()
    {
        var elsewhere = _temp["downloads/release.tgz"];
        Directory.CreateDirectory(_temp["downloads"]);
        File.Copy(Tarball, elsewhere);

        await Steps(artifact: elsewhere).VerifyAsync();

        _fakes.Calls("spctl").Should().NotBeEmpty();
    }

    [Fact]
    public async Task On_Linux_checks_the_checksum_and_the_archive_and_says_what_it_skipped()
    {
        using var log = LogCapture.Start();

        await Steps(onMacOS: false).VerifyAsync();

        _fakes.Calls("spctl").Should().BeEmpty();
        log.Messages.Should().Contain(x => x.Contains("need macOS"));
        log.Messages.Should().Contain(x => Regex.IsMatch(x, @"sha256\s+ok"));
    }

    [Fact]
    public async Task Runs_the_preflight_on_the_extracted_tree_in_local_mode_for_an_ad_hoc_release()
    {
        var json = _temp["preflight.json"];
        using var log = LogCapture.Start();

        await Steps(onMacOS: false, preflightJson: json).VerifyAsync();

        log.Messages.Should().Contain(x => x.Contains("preflight (local)") && x.Contains("3 Mach-O files, 0 error(s)"));
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        report.RootElement.GetProperty("passed").GetBoolean().Should().BeTrue();
        report.RootElement.GetProperty("findings").EnumerateArray().Should().OnlyContain(x => x.GetProperty("severity").GetString() == "warning");
    }

    [Fact]
    public async Task Verify_writes_its_own_report_and_never_Signs()
    {
        var signs = _temp["sign-preflight.json"];
        var settings = new ReleaseSettings { RootDirectory = _temp.Path, Version = Version, Signing = new() { SignId = "-", PreflightJson = signs } };

        await new ReleasePipeline(settings, _fakes.Runner()) { VerifyOnMacOS = false, WorkDirectory = Work }.VerifyAsync();

        File.Exists(signs).Should().BeFalse("--preflight-json is Sign's report; Release Verify must not replace it with Verify's");
    }

    [Fact]
    public async Task The_release_preflight_fails_a_bundle_that_is_only_linker_signed()
    {
        var act = () => Steps(onMacOS: false, signId: "Developer ID Application: Example (TEAM123456)").VerifyAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message
            .Should().Contain("preflight (release)").And.Contain("only linker-signed").And.Contain("no hardened runtime");
    }

    [Fact]
    public async Task A_missing_tarball_names_the_ways_to_get_one()
    {
        var act = () => new ReleasePipeline(new ReleaseSettings { RootDirectory = _temp.Path, Version = "9.9.9" }, _fakes.Runner()).VerifyAsync();

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*msty-mlx-studio-9.9.9.tgz to verify*--artifact*");
    }
}
