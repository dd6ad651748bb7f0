using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Tooling;

/// <summary>Each wrapper's verbs, as the argv its tool receives: the exact arguments Apple's and the other tools' manuals give.</summary>
public class ToolWrapperTests : IDisposable
{
    private readonly FakeTools _fakes = new();

    public void Dispose() => _fakes.Dispose();

    private IReadOnlyList<string> OnlyCall(string tool) => _fakes.Calls(tool).Should().ContainSingle().Subject;

    [Fact]
    public async Task Xattr_clears_lists_and_writes_the_quarantine()
    {
        _fakes.Add("xattr");
        var xattr = new Xattr(_fakes.Runner());

        await xattr.DeleteRecursiveAsync(Xattr.Quarantine, "/b/python", default);
        await xattr.ListRecursiveAsync("/b/python", default);
        await xattr.WriteAsync(Xattr.Quarantine, "0081;x;y;z", "/b/app", default);

        _fakes.Calls("xattr").Should().SatisfyRespectively(
            x => x.Should().Equal("-dr", "com.apple.quarantine", "/b/python"),
            x => x.Should().Equal("-lr", "/b/python"),
            x => x.Should().Equal("-w", "com.apple.quarantine", "0081;x;y;z", "/b/app"));
    }

    [Fact]
    public async Task Spctl_assesses_for_install_and_exec_and_returns_a_rejection()
    {
        _fakes.Add("spctl", stderr: "/b/app: rejected", exitCode: 3);
        var spctl = new Spctl(_fakes.Runner());

        var install = await spctl.AssessInstallAsync("/b/app", default);
        await spctl.AssessExecAsync("/b/app", default);

        install.Succeeded.Should().BeFalse();
        install.StandardError.Should().Contain("rejected");
        _fakes.Calls("spctl").Should().SatisfyRespectively(
            x => x.Should().Equal("-a", "-t", "install", "-vv", "/b/app"),
            x => x.Should().Equal("-a", "-t", "exec", "-vv", "/b/app"));
    }

    [Fact]
    public async Task Codesign_verifies_strictly_and_checks_notarization_online()
    {
        _fakes.Add("codesign");
        var codesign = new Codesign(_fakes.Runner());

        await codesign.VerifyAsync("/b/lib.dylib", default);
        await codesign.CheckNotarizationAsync("/b/app", default);

        _fakes.Calls("codesign").Should().SatisfyRespectively(
            x => x.Should().Equal("--verify", "--strict", "--verbose=2", "/b/lib.dylib"),
            x => x.Should().Equal("-vvvv", "-R=notarized", "--check-notarization", "/b/app"));
    }

    [Theory]
    [InlineData("Developer ID Application: Jane (TEAM123)", true, new[] { "--force", "--sign", "Developer ID Application: Jane (TEAM123)", "--timestamp", "--options", "runtime", "--entitlements", "e.plist", "/b/a" })]
    [InlineData("-", true, new[] { "--force", "--sign", "-", "--options", "runtime", "--entitlements", "e.plist", "/b/a" })]
    [InlineData("Developer ID Application: Jane (TEAM123)", false, new[] { "--force", "--sign", "Developer ID Application: Jane (TEAM123)", "/b/a" })]
    public void Codesign_signs_with_the_identity_before_the_options(string identity, bool release, string[] expected)
    {
        Codesign.Arguments(new SigningIdentity(identity), release ? "e.plist" : null, hardenedRuntime: release, ["/b/a"]).Should().Equal(expected);
    }

    [Fact]
    public async Task Ditto_zips_the_folder_with_its_parent()
    {
        _fakes.Add("ditto");

        await new Ditto(_fakes.Runner()).ZipAsync("/b/msty-mlx-studio", "/tmp/n.zip", default);

        OnlyCall("ditto").Should().Equal("-c", "-k", "--keepParent", "/b/msty-mlx-studio", "/tmp/n.zip");
    }

    [Fact]
    public async Task Xcrun_runs_notarytool_and_never_logs_the_secret()
    {
        _fakes.Add("xcrun", stdout: "{\"status\":\"Accepted\"}");
        using var log = LogCapture.Start();

        var result = await new Xcrun(_fakes.Runner()).NotarytoolAsync(["history", "--password", "abcd-efgh-ijkl"], "abcd-efgh-ijkl", default);

        result.StandardOutput.Should().Contain("Accepted");
        OnlyCall("xcrun").Should().Equal("notarytool", "history", "--password", "abcd-efgh-ijkl");
        log.Text.Should().NotContain("abcd-efgh-ijkl");
    }

    [Fact]
    public async Task Security_verbs_for_the_temporary_keychain()
    {
        _fakes.Add("security");
        var security = new Security(_fakes.Runner());

        await security.ListKeychainsAsync(default);
        await security.CreateKeychainAsync("/t/k.keychain-db", "pw", default);
        await security.SetKeychainSettingsAsync("/t/k.keychain-db", "21600", default);
        await security.UnlockKeychainAsync("/t/k.keychain-db", "pw", default);
        await security.ImportPkcs12Async("/t/c.p12", "cpw", "/t/k.keychain-db", default);
        await security.SetKeyPartitionListAsync("/t/k.keychain-db", "pw", default);
        await security.SetKeychainsAsync(["/t/k.keychain-db", "/login.keychain-db"], default);
        await security.FindCodeSigningIdentitiesAsync(validOnly: true, default);
        await security.FindCodeSigningIdentitiesAsync(validOnly: false, default);
        await security.DeleteKeychainAsync("/t/k.keychain-db", default);

        _fakes.Calls("security").Should().SatisfyRespectively(
            x => x.Should().Equal("list-keychains", "-d", "user"),
            x => x.Should().Equal("create-keychain", "-p", "pw", "/t/k.keychain-db"),
            x => x.Should().Equal("set-keychain-settings", "-lut", "21600", "/t/k.keychain-db"),
            x => x.Should().Equal("unlock-keychain", "-p", "pw", "/t/k.keychain-db"),
            x => x.Should().Equal("import", "/t/c.p12", "-P", "cpw", "-f", "pkcs12", "-k", "/t/k.keychain-db", "-T", "/usr/bin/codesign"),
            x => x.Should().Equal("set-key-partition-list", "-S", "apple-tool:,apple:,codesign:", "-s", "-k", "pw", "/t/k.keychain-db"),
            x => x.Should().Equal("list-keychains", "-d", "user", "-s", "/t/k.keychain-db", "/login.keychain-db"),
            x => x.Should().Equal("find-identity", "-v", "-p", "codesigning"),
            x => x.Should().Equal("find-identity", "-p", "codesigning"),
            x => x.Should().Equal("delete-keychain", "/t/k.keychain-db"));
    }

    [Fact]
    public async Task Security_throws_on_failure_unless_told_to_report_it()
    {
        _fakes.Add("security", stderr: "security: SecKeychainDelete: The specified keychain could not be found.", exitCode: 50);
        var security = new Security(_fakes.Runner());

        var reported = await security.DeleteKeychainAsync("/t/k", default, check: false);
        var thrown = () => security.DeleteKeychainAsync("/t/k", default);

        reported.ExitCode.Should().Be(50);
        await thrown.Should().ThrowAsync<ToolFailedException>();
    }

    [Fact]
    public async Task Patch_applies_one_file_at_p1_without_questions_or_backups()
    {
        _fakes.Add("patch");

        await new Patch(_fakes.Runner()).ApplyAsync("/w/app", "fix.patch", default);

        OnlyCall("patch").Should().Equal("-p1", "--batch", "--forward", "--no-backup-if-mismatch", "-d", "/w/app", "-i", Path.GetFullPath("fix.patch"));
    }

    [Fact]
    public async Task The_C_compiler_gets_the_flags_then_the_output_and_the_source()
    {
        _fakes.Add("my-cc");

        await new CCompiler(_fakes.Runner(), "my-cc").CompileAsync(["-O2", "-Wall"], "l.c", "out/app", default);

        OnlyCall("my-cc").Should().Equal("-O2", "-Wall", "-o", "out/app", "l.c");
        CCompiler.Tool("my-cc").Name.Should().Be("my-cc");
    }

    [Fact]
    public async Task Pip_runs_as_a_module_of_its_interpreter_one_method_per_verb()
    {
        _fakes.Add("py");
        var pip = new Pip(_fakes.Runner(), "py");

        await pip.InstallAsync(["--target", "v", "mlx"], default);
        await pip.WheelAsync(["--no-deps", "app"], default);
        await pip.DownloadAsync(["--dest", "w", "mlx"], default);

        _fakes.Calls("py").Should().SatisfyRespectively(
            x => x.Should().Equal("-m", "pip", "--disable-pip-version-check", "install", "--target", "v", "mlx"),
            x => x.Should().Equal("-m", "pip", "--disable-pip-version-check", "wheel", "--no-deps", "app"),
            x => x.Should().Equal("-m", "pip", "--disable-pip-version-check", "download", "--dest", "w", "mlx"));
    }

    [Fact]
    public async Task The_interpreter_makes_a_venv_and_hash_based_pyc_files()
    {
        _fakes.Add("py");
        var python = new PythonInterpreter(_fakes.Runner(), "py");

        await python.CreateVenvAsync("/w/venv", default);
        await python.CompileAllAsync(["/b/_vendor"], "/b/", "msty-mlx-studio/", default);

        _fakes.Calls("py").Should().SatisfyRespectively(
            x => x.Should().Equal("-m", "venv", "/w/venv"),
            x => x.Should().Equal("-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", "-s", "/b/", "-p", "msty-mlx-studio/", "/b/_vendor"));
    }

    [Fact]
    public void A_missing_tool_is_named_with_how_to_get_it()
    {
        ToolLocator.DescribeMissing(Codesign.Tool).Should().Be("codesign was not found on PATH: it ships with macOS: run this step on a Mac or a GitHub macOS runner");
        ToolLocator.DescribeMissing(Pip.Tool("/opt/py/bin/python3")).Should().StartWith("/opt/py/bin/python3 does not exist or is not executable: install Python 3");
        ToolLocator.DescribeMissing("patch").Should().Contain("apt-get install patch");
    }
}
