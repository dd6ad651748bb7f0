using ReleaseKit.MachO;
using ReleaseKit.Tests.MachO;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Signing;

/// <summary>The codesign fake writes signatures that the project's own reader judges like real ones; otherwise the Notarize tests would prove nothing.</summary>
public class CodesignFakeTests(MachOFixtures fixtures) : IClassFixture<MachOFixtures>, IDisposable
{
    private readonly TempDirectory _bundle = new();
    private readonly FakeTools _fakes = new FakeTools().AddApple("codesign");

    public void Dispose()
    {
        _bundle.Dispose();
        _fakes.Dispose();
    }

    private Task<ToolResult> Codesign(params string[] arguments) =>
        _fakes.Runner().RunAsync(new ToolCommand("codesign", arguments) { ThrowOnFailure = false });

    [Fact]
    public async Task Signatures_pass_the_release_preflight_and_verify_until_a_byte_changes()
    {
        foreach (var fixture in new[] { "launcher", "liba.dylib", "plugin.so", "liba-universal.dylib" })
            fixtures.Place(fixture, _bundle.Path, fixture);
        Preflight.Run(_bundle.Path, PreflightMode.Release, true, ["launcher"]).Passed.Should().BeFalse("the linker's signatures are ad-hoc");

        (await Codesign(["--force", "--sign", AppleFakes.DeveloperId, "--timestamp", "--options", "runtime", .. Directory.GetFiles(_bundle.Path)])).ExitCode.Should().Be(0);

        var report = Preflight.Run(_bundle.Path, PreflightMode.Release, true, ["launcher"]);
        report.Findings.Should().BeEmpty();
        var signature = MachOReader.Read(_bundle["liba-universal.dylib"]).Slices.Should().HaveCount(2).And.Subject.First().Signature!;
        signature.Should().Match<CodeSignature>(x => x.TeamId == "TEAM123456" && x.HasHardenedRuntime && x.CmsHasTimestamp && !x.IsAdHoc && x.PagesMatch == true);
        signature.Certificate.Should().Be(new SigningCertificate(CertificateKind.DeveloperIdApplication, "TEAM123456", AppleFakes.DeveloperId));
        (await Codesign("--verify", "--strict", "--verbose=2", _bundle["launcher"])).StandardError.Should().Contain("satisfies its Designated Requirement");

        var bytes = File.ReadAllBytes(_bundle["launcher"]);
        bytes[100] ^= 0xff;
        File.WriteAllBytes(_bundle["launcher"], bytes);
        var verify = await Codesign("--verify", "--strict", "--verbose=2", _bundle["launcher"]);
        verify.ExitCode.Should().Be(1);
        verify.StandardError.Should().Contain("invalid signature (code or signature have been modified)");
    }

    [Fact]
    public async Task Verify_fails_for_a_file_the_fake_did_not_sign_and_bad_arguments_exit_2()
    {
        fixtures.Place("liba.dylib", _bundle.Path, "liba.dylib");

        (await Codesign("--verify", "--strict", "--verbose=2", _bundle["liba.dylib"])).StandardError.Should().Contain("code object is not signed at all");
        (await Codesign("--force", "--bogus", _bundle["liba.dylib"])).ExitCode.Should().Be(2);
    }

    [Theory]
    [InlineData("3rd Party Mac Developer Application: Example (TEAM123456)", CertificateKind.MacAppStore)]
    [InlineData("Apple Development: Example (TEAM123456)", CertificateKind.Development)]
    [InlineData("Example Code Signing (TEAM123456)", CertificateKind.Unknown)]
    public async Task Signs_with_the_certificate_kind_the_identity_names_and_the_release_preflight_refuses_all_but_Developer_ID(string identity, CertificateKind kind)
    {
        fixtures.Place("liba.dylib", _bundle.Path, "liba.dylib");

        (await Codesign("--force", "--sign", identity, "--timestamp", "--options", "runtime", _bundle["liba.dylib"])).ExitCode.Should().Be(0);

        MachOReader.Read(_bundle["liba.dylib"]).Slices.Single().Signature!.Certificate.Should().Be(new SigningCertificate(kind, "TEAM123456", identity));
        var findings = Preflight.Run(_bundle.Path, PreflightMode.Release, false, []).Findings;
        findings.Should().ContainSingle().Which.Problem.Should().StartWith($"signed with {identity} (").And.Contain("accepts only Developer ID Application");
        (await Codesign("--verify", "--strict", _bundle["liba.dylib"])).ExitCode.Should().Be(0, "the signature itself is intact");
    }

    [Fact]
    public async Task Writes_the_signed_file_under_a_new_inode_as_codesign_does_so_other_hard_links_keep_the_old_bytes()
    {
        fixtures.Place("liba.dylib", _bundle.Path, "liba.dylib");
        Shell.Run("ln", _bundle["liba.dylib"], _bundle["liba.1.dylib"]);
        var before = File.ReadAllBytes(_bundle["liba.1.dylib"]);

        (await Codesign("--force", "--sign", "-", _bundle["liba.dylib"])).ExitCode.Should().Be(0);

        File.ReadAllBytes(_bundle["liba.1.dylib"]).Should().Equal(before);
        File.ReadAllBytes(_bundle["liba.dylib"]).Should().NotEqual(before);
        (await Codesign("--verify", _bundle["liba.1.dylib"])).ExitCode.Should().Be(1);
    }
}
