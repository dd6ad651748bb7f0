using ReleaseKit.Packaging;
using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Packaging;

/// <summary>
/// Inputs that once crashed a step with a raw exception or left half an artifact set: each gets a
/// ReleaseException that names the file and the fix, and Package writes its three files or none.
/// </summary>
public class BadBundleInputTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly TempDirectory _temp = new("bad-input");

    public BadBundleInputTests() => File.WriteAllText(_temp["package.json"], """{ "version": "2.0.0" }""");

    public void Dispose() => _temp.Dispose();

    private string Artifacts => _temp["artifacts"];

    private static void SignRecord(string bundle) =>
        SignatureRecord.Write(bundle, new SignatureRecord("-", true, 1, SignatureRecord.FingerprintOf(bundle), Epoch)
        {
            Contents = SignatureRecord.HashContentsAsync(bundle, CancellationToken.None).GetAwaiter().GetResult(),
        });

    private ReleasePipeline Steps(string variant = "external") => new(new ReleaseSettings
    {
        RootDirectory = _temp.Path,
        Signing = new() { SignId = "-" },
        Bundle = new() { Variant = variant },
    });

    [Fact]
    public async Task Packages_a_PyInstaller_bundle_that_has_no_python_lib_with_its_SBOM()
    {
        var bundle = _temp["dist/msty-mlx-studio"];
        TreeBuilder.File(bundle, "msty-mlx-studio", "launcher", TreeBuilder.Executable);
        TreeBuilder.File(bundle, "_internal/base_library.zip", "zip", TreeBuilder.Regular);
        SignRecord(bundle);

        await Steps("pyinstaller").PackageAsync();

        Directory.GetFiles(Artifacts).Select(Path.GetFileName).Should().BeEquivalentTo(
            ["msty-mlx-studio-2.0.0.tgz", "msty-mlx-studio-2.0.0.tgz.sha256", "msty-mlx-studio-2.0.0.cdx.json"]);
    }

    [Fact]
    public async Task A_bundle_without_its_launcher_is_refused_by_Sign_and_Package_before_anything_is_written()
    {
        var bundle = _temp["dist-ext-python/msty-mlx-studio"];
        TreeBuilder.File(bundle, "python/bin/python3", "#!", TreeBuilder.Executable);
        SignRecord(bundle);

        var package = () => Steps().PackageAsync();
        var sign = () => Steps().SignAsync();

        (await package.Should().ThrowAsync<ReleaseException>()).WithMessage($"The bundle {bundle} has no launcher msty-mlx-studio, so Package cannot ship it: run Bundle again*");
        (await sign.Should().ThrowAsync<ReleaseException>()).WithMessage("*has no launcher msty-mlx-studio, so Sign*");
        Directory.Exists(Artifacts).Should().BeFalse();
    }

    [Fact]
    public async Task When_a_companion_cannot_be_written_no_tarball_checksum_or_companion_stays()
    {
        var bundle = _temp["dist-ext-python/msty-mlx-studio"];
        TreeBuilder.File(bundle, "msty-mlx-studio", "launcher", TreeBuilder.Executable);
        SignRecord(bundle);
        var sbom = Path.Combine(Artifacts, "msty-mlx-studio-2.0.0.cdx.json");

        var act = () => Packager.PackageAsync(bundle, "msty-mlx-studio", "2.0.0", Artifacts, Epoch, allowAdHoc: true, CancellationToken.None,
            companions: [new Companion(sbom, (_, _) => throw new ReleaseException("the SBOM cannot be made"))]);

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("the SBOM cannot be made");
        Directory.GetFiles(Artifacts).Should().BeEmpty("the tarball, its .sha256 and the SBOM go into place together or not at all");
    }

    [Theory]
    [InlineData("""{ "Identity": "-", "AdHoc": true, "Files": 1, "Fingerprint": "x", "Signed": "2026-01-01T00:00:00Z", "Contents": null }""")]
    [InlineData("""{ "AdHoc": true, "Files": 1, "Signed": "2026-01-01T00:00:00Z", "Contents": {} }""")]
    [InlineData("""{ "Identity": "-", "AdHoc": true, "Files": 1, "Fingerprint": "x", "Signed": "2026-01-01T00:00:00Z", "Contents": { "a": null } }""")]
    public async Task A_signing_record_with_null_members_is_damaged_not_a_crash(string json)
    {
        var bundle = _temp["dist-ext-python/msty-mlx-studio"];
        TreeBuilder.File(bundle, "msty-mlx-studio", "launcher", TreeBuilder.Executable);
        File.WriteAllText(SignatureRecord.PathFor(bundle), json);

        var act = () => Steps().PackageAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).WithMessage("The signing record * is damaged*run Sign again*");
    }

    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("253402300800")]
    [InlineData("-1")]
    [InlineData("1e9")]
    public void A_SOURCE_DATE_EPOCH_tar_cannot_hold_is_a_settings_problem(string epoch)
    {
        var parsed = PackageOptions.Parse(new PackageParameters(), name => name == "SOURCE_DATE_EPOCH" ? epoch : null);

        parsed.Problems.Should().ContainSingle().Which.Should().Contain($"SOURCE_DATE_EPOCH").And.Contain(epoch).And.Contain("git log -1 --format=%ct");
    }

    [Theory]
    [InlineData("app\n")]
    [InlineData("app\r\n")]
    [InlineData("a/b")]
    [InlineData("")]
    public void An_app_name_that_cannot_be_a_file_name_is_refused(string name) => ProductName.Problem(name).Should().Contain("use letters, digits");
}
