using ReleaseKit;
using ReleaseKit.Python;
using ReleaseKit.Signing;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;
using Serilog.Events;

namespace ReleaseKit.Tests.Python;

public class PythonPreparerTests : IDisposable
{
    private const string Identity = "Developer ID Application: Example (TEAM123456)";
    private readonly TempDirectory _temp = new();
    private readonly FakeTools _fakes = new();

    public void Dispose()
    {
        _temp.Dispose();
        _fakes.Dispose();
    }

    private PythonInstallation Python()
    {
        var home = _temp["python"];
        File.WriteAllBytes(TreeBuilder.File(home, "bin/python3.12", "", TreeBuilder.Executable), MachOFiles.Thin(MachOFiles.Arm64));
        TreeBuilder.Symlink(home, "bin/python3", "python3.12");
        File.WriteAllBytes(TreeBuilder.File(home, "lib/libpython3.12.dylib", "", TreeBuilder.Executable), MachOFiles.Fat(false, MachOFiles.Arm64, MachOFiles.X86_64));
        File.WriteAllBytes(TreeBuilder.File(home, "lib/python3.12/lib-dynload/_ssl.cpython-312-darwin.so", "", TreeBuilder.Executable), MachOFiles.Thin(MachOFiles.Arm64));
        TreeBuilder.File(home, "lib/python3.12/os.py", "# os", TreeBuilder.Regular);
        File.WriteAllBytes(TreeBuilder.File(home, "lib/python3.12/Example.class", "", TreeBuilder.Regular), MachOFiles.JavaClass());
        return new PythonInstallation(home, Path.Combine(home, "bin/python3"), "3.12", "test");
    }

    [Fact]
    public async Task Clears_quarantine_then_pre_signs_every_Mach_O_file_once()
    {
        var python = Python();
        _fakes.Add("xattr").Add("codesign");

        var quarantined = await new PythonPreparer(_fakes.Runner()).PrepareAsync(python, new SigningIdentity(Identity), CancellationToken.None);

        quarantined.Should().Be(0);
        _fakes.Calls("xattr").Should().BeEquivalentTo(new[] { new[] { "-dr", "com.apple.quarantine", python.Directory }, ["-lr", python.Directory] },
            o => o.WithStrictOrdering());
        _fakes.Calls("codesign").Should().ContainSingle().Which.Should().Equal(
            "--force", "--sign", Identity,
            Path.Combine(python.Directory, "bin/python3.12"),
            Path.Combine(python.Directory, "lib/libpython3.12.dylib"),
            Path.Combine(python.Directory, "lib/python3.12/lib-dynload/_ssl.cpython-312-darwin.so"));
    }

    [Fact]
    public async Task Signs_ad_hoc_when_no_identity_is_configured()
    {
        var python = Python();
        _fakes.Add("xattr").Add("codesign");

        await new PythonPreparer(_fakes.Runner()).PrepareAsync(python, null, CancellationToken.None);

        _fakes.Calls("codesign").Single().Take(3).Should().Equal("--force", "--sign", "-");
    }

    [Fact]
    public async Task Signs_in_batches_so_argv_stays_bounded()
    {
        var python = Python();
        for (var i = 0; i < 70; i++)
            File.WriteAllBytes(TreeBuilder.File(python.Directory, $"lib/python3.12/site-packages/m{i:00}.so", "", TreeBuilder.Executable), MachOFiles.Thin(MachOFiles.Arm64));
        _fakes.Add("xattr").Add("codesign");

        await new PythonPreparer(_fakes.Runner()).PrepareAsync(python, new SigningIdentity(Identity), CancellationToken.None);

        _fakes.Calls("codesign").Select(x => x.Count - 3).Should().Equal(64, 9);
    }

    [Fact]
    public async Task Counts_and_reports_files_still_quarantined()
    {
        var python = Python();
        var listing = $"""
            {python.Directory}/bin/python3.12: com.apple.quarantine: 0081;6745a1b2;Safari;F1A2
            {python.Directory}/bin/python3.12: com.apple.provenance: 
            {python.Directory}/lib/libpython3.12.dylib: com.apple.quarantine: 0081;6745a1b2;Safari;F1A2
            """;
        _fakes.AddScript("xattr", $"""
            if [ "$1" = "-lr" ]; then cat <<'OUT'
            {listing}
            OUT
            fi
            """);
        _fakes.Add("codesign");
        using var log = LogCapture.Start();

        var quarantined = await new PythonPreparer(_fakes.Runner()).PrepareAsync(python, new SigningIdentity(Identity), CancellationToken.None);

        quarantined.Should().Be(2);
        log.Events.Should().Contain(x => x.Level == LogEventLevel.Warning && x.RenderMessage().Contains("2 files under"));
    }

    [Fact]
    public async Task A_codesign_failure_fails_the_step_with_codesigns_message()
    {
        var python = Python();
        _fakes.Add("xattr").Add("codesign", stderr: "error: The specified item could not be found in the keychain.\n", exitCode: 1);

        var act = () => Preparer().PrepareAsync(python, new SigningIdentity(Identity), CancellationToken.None);

        (await act.Should().ThrowAsync<ReleaseException>()).WithMessage("codesign could not pre-sign 3 file(s)*bin/python3.12: error: The specified item could not be found in the keychain.*");
    }

    private PythonPreparer Preparer() => new(_fakes.Runner()) { FirstRetryDelay = TimeSpan.FromMilliseconds(1) };

    [Fact]
    public async Task A_timestamp_outage_is_retried_as_Sign_retries_it()
    {
        var python = Python();
        _fakes.Add("xattr").AddScript("codesign", """
            count=$(cat "$FAKE_CALLS/outages" 2>/dev/null || echo 0)
            if [ "$count" -lt 2 ]; then echo $((count + 1)) > "$FAKE_CALLS/outages"; echo "${@: -1}: The timestamp service is not available." >&2; exit 1; fi
            """);

        await Preparer().PrepareAsync(python, new SigningIdentity(Identity), CancellationToken.None);

        var calls = _fakes.Calls("codesign");
        calls[0].Count.Should().Be(6, "first all three files in one call");
        calls.Skip(1).Should().OnlyContain(x => x.Count == 4, "then each file on its own, the first one again after the outage");
        calls.Should().HaveCount(5);
    }

    [Fact]
    public async Task A_keychain_that_cannot_use_the_key_fails_at_once_with_the_fix()
    {
        var python = Python();
        _fakes.Add("xattr").Add("codesign", stderr: "bin/python3.12: errSecInternalComponent\n", exitCode: 1);

        var act = () => Preparer().PrepareAsync(python, new SigningIdentity(Identity), CancellationToken.None);

        (await act.Should().ThrowAsync<ReleaseException>()).WithMessage("*errSecInternalComponent*unlock-keychain*set-key-partition-list -S apple-tool:,apple:,codesign:*");
        _fakes.Calls("codesign").Should().HaveCount(2, "the batch, then the first file once: retrying cannot heal a key the keychain will not hand out");
    }

    [Fact]
    public async Task Hard_links_in_the_python_tree_are_linked_to_the_signed_file_again()
    {
        var python = Python();
        var library = Path.Combine(python.Directory, "lib/libpython3.12.dylib");
        var alias = Path.Combine(python.Directory, "lib/libpython3.dylib");
        Shell.Run("ln", library, alias);
        _fakes.Add("xattr").AddApple("codesign");
        File.WriteAllBytes(library, [.. File.ReadAllBytes(ProjectRoot.File("tests/fixtures/npm/swc-core-darwin-arm64-1.16.22/package/swc.darwin-arm64.node"))]);

        await Preparer().PrepareAsync(python, null, CancellationToken.None);

        _fakes.Calls("codesign").SelectMany(x => x).Should().NotContain(alias);
        File.ReadAllBytes(alias).Should().Equal(File.ReadAllBytes(library));
        ReleaseKit.Tooling.FileStatus.Of(alias)!.Value.IsSameFile(ReleaseKit.Tooling.FileStatus.Of(library)!.Value).Should().BeTrue();
    }
}
