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
}
