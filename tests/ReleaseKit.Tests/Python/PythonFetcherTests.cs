using System.Security.Cryptography;
using ReleaseKit.Python;
using ReleaseKit.Settings;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Python;

[Trait("Category", TestTier.HostPython)]
public class PythonFetcherTests : IDisposable
{
    private const string Release = "/astral-sh/python-build-standalone/releases/download/20251014/";
    private const string Asset = "cpython-3.12.12+20251014-aarch64-apple-darwin-install_only.tar.gz";
    private const string AssetPath = Release + Asset;
    private const string SumsPath = Release + "SHA256SUMS";

    private readonly TempDirectory _temp = new();
    private readonly TestHttpServer _server = new();
    private readonly HttpClient _client = HttpDownloader.CreateClient();

    public PythonFetcherTests()
    {
        Directory.CreateDirectory(Root);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        _temp.Dispose();
    }

    private string Root => _temp["project"];

    private string Cache => _temp["project/.nuke/temp/cpython"];

    private PythonFetcher Fetcher => new(Root, Cache, new HttpDownloader(_client) { FirstRetryDelay = TimeSpan.FromMilliseconds(5), MaxAttempts = 3 });

    /// <summary>A python-build-standalone-shaped archive: python/bin/python3 -> python3.12 (an arm64 Mach-O), lib/python3.12/os.py.</summary>
    private byte[] PythonArchive(string flags = "-czf", string top = "python", string? extraFile = null)
    {
        var source = _temp["source-" + Guid.NewGuid().ToString("N")];
        TreeBuilder.PythonLike(source);
        if (extraFile is not null)
            TreeBuilder.File(source, "python/" + extraFile, "extra", TreeBuilder.Regular);
        File.WriteAllBytes(Path.Combine(source, "python/bin/python3.12"), MachOFiles.Thin(MachOFiles.Arm64));
        var archive = source + ".archive";
        if (top == "python")
            Shell.RunIn(source, "tar", [.. flags.Split(' '), archive, "python"]);
        else
            Shell.RunIn(Path.Combine(source, "python"), "tar", [.. flags.Split(' '), archive, "."]);
        return File.ReadAllBytes(archive);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private void Publish(byte[] archive, string path = AssetPath, string? listedName = null)
    {
        _server.Serve(path, archive);
        _server.Serve(SumsPath, System.Text.Encoding.UTF8.GetBytes(
            $"{new string('0', 64)}  cpython-3.12.12+20251014-x86_64-apple-darwin-install_only.tar.gz\n" +
            $"{Sha256(archive)}  {listedName ?? Path.GetFileName(path)}\n"));
    }

    private void PlantExistingPython()
    {
        Directory.CreateDirectory(Path.Combine(Root, "python", "bin"));
        File.WriteAllText(Path.Combine(Root, "python", "bin", "marker"), "the python that was here");
    }

    private void ExistingPythonIsUntouched()
    {
        File.ReadAllText(Path.Combine(Root, "python", "bin", "marker")).Should().Be("the python that was here");
        Directory.GetDirectories(Root, ".python-*").Should().BeEmpty("no staging folder may be left behind");
    }

    [Fact]
    public async Task Downloads_verifies_against_SHA256SUMS_and_installs_into_python()
    {
        Publish(PythonArchive());
        PlantExistingPython();

        var python = await Fetcher.ResolveAsync(Source(null, _server.Url(AssetPath).AbsoluteUri, null), CancellationToken.None);

        python.Should().Be(new PythonInstallation(Path.Combine(Root, "python"), Path.Combine(Root, "python", "bin", "python3"), "3.12", $"--cpython-url {_server.Url(AssetPath)}")
        {
            ArchiveUrl = _server.Url(AssetPath).AbsoluteUri,
            ArchiveSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Directory.GetFiles(Path.Combine(Root, ".nuke", "temp", "cpython"), "*.tar.gz").Single()))),
        }, "the SBOM names the archive it came from");
        new FileInfo(python.Interpreter).LinkTarget.Should().Be("python3.12");
        File.Exists(Path.Combine(Root, "python", "bin", "marker")).Should().BeFalse("./python is replaced as a whole");
        File.Exists(Path.Combine(Root, "python/lib/python3.12/site-packages/pkg/.dylibs/libdep.dylib")).Should().BeTrue();
        _server.RequestCount(SumsPath).Should().Be(1);
        Directory.GetDirectories(Root, ".python-*").Should().BeEmpty();
    }

    [Fact]
    public async Task A_second_run_takes_the_verified_archive_from_the_cache()
    {
        Publish(PythonArchive());
        await Fetcher.ResolveAsync(Source(null, _server.Url(AssetPath).AbsoluteUri, null), CancellationToken.None);

        await Fetcher.ResolveAsync(Source(null, _server.Url(AssetPath).AbsoluteUri, null), CancellationToken.None);

        _server.RequestCount(AssetPath).Should().Be(1);
        File.Exists(Path.Combine(Root, "python", "bin", "python3")).Should().BeTrue();
    }

    [Fact]
    public async Task Resumes_with_a_Range_request_when_the_connection_drops_halfway()
    {
        var archive = PythonArchive();
        Publish(archive);
        _server.DropAfter(AssetPath, archive.Length / 2);
        using var log = LogCapture.Start();

        await Fetcher.ResolveAsync(Source(null, _server.Url(AssetPath).AbsoluteUri, null), CancellationToken.None);

        var requests = _server.Requests.Where(x => x.Path == AssetPath).ToArray();
        requests.Should().HaveCount(2);
        requests[0].Range.Should().BeNull();
        requests[1].Range.Should().Be($"bytes={archive.Length / 2}-");
        log.Messages.Should().Contain(x => x.Contains("Resuming"));
        log.Messages.Should().Contain(x => x.StartsWith("Downloading ") && x.Contains("(100%)") && x.Contains("/s, ETA"));
    }

    [Fact]
    public async Task Retries_a_server_error_with_backoff()
    {
        Publish(PythonArchive());
        _server.FailWith(AssetPath, 503, times: 2);

        await Fetcher.ResolveAsync(Source(null, _server.Url(AssetPath).AbsoluteUri, null), CancellationToken.None);

        _server.RequestCount(AssetPath).Should().Be(3);
    }

    [Fact]
    public async Task Gives_up_after_the_last_attempt_and_keeps_the_partial_download()
    {
        Publish(PythonArchive());
        _server.FailWith(AssetPath, 500);

        var act = () => Fetcher.ResolveAsync(Source(null, _server.Url(AssetPath).AbsoluteUri, null), CancellationToken.None);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("failed 3 times").And.Contain("500");
    }

    [Theory]
    [InlineData(404)]
    [InlineData(403)]
    public async Task Not_found_and_forbidden_fail_at_once_naming_the_URL(int status)
    {
        _server.FailWith(AssetPath, status);
        PlantExistingPython();
        var url = _server.Url(AssetPath).AbsoluteUri;

        var act = () => Fetcher.ResolveAsync(Source(null, url, new string('a', 64)), CancellationToken.None);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain(url).And.Contain($"answered {status}");
        _server.RequestCount(AssetPath).Should().Be(1);
        ExistingPythonIsUntouched();
    }

    [Fact]
    public async Task A_checksum_mismatch_deletes_the_download_and_keeps_python()
    {
        _server.Serve("/downloads/python.tar.gz", PythonArchive());
        PlantExistingPython();

        var act = () => Fetcher.ResolveAsync(Source(null, _server.Url("/downloads/python.tar.gz").AbsoluteUri, new string('b', 64)), CancellationToken.None);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("Checksum mismatch").And.Contain(new string('b', 64));
        Directory.GetFiles(Cache).Should().BeEmpty("the bad file is deleted");
        ExistingPythonIsUntouched();
    }

    [Fact]
    public async Task An_archive_that_does_not_match_SHA256SUMS_is_refused()
    {
        Publish(PythonArchive());
        _server.Serve(AssetPath, PythonArchive(extraFile: "tampered.py")); // not the build SHA256SUMS lists

        var act = () => Fetcher.ResolveAsync(Source(null, _server.Url(AssetPath).AbsoluteUri, null), CancellationToken.None);

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("Checksum mismatch*");
    }

    [Fact]
    public async Task SHA256SUMS_without_the_asset_is_an_error()
    {
        Publish(PythonArchive(), listedName: "cpython-3.12.12+20251014-aarch64-apple-darwin-install_only_stripped.tar.gz");

        var act = () => Fetcher.ResolveAsync(Source(null, _server.Url(AssetPath).AbsoluteUri, null), CancellationToken.None);

        await act.Should().ThrowAsync<ReleaseException>().WithMessage($"*lists no checksum for {Asset}*--cpython-sha256*");
    }

    [Fact]
    public async Task A_truncated_archive_fails_without_touching_python()
    {
        var archive = PythonArchive();
        var truncated = archive[..(archive.Length * 2 / 3)];
        _server.Serve("/downloads/python.tar.gz", truncated);
        PlantExistingPython();

        var act = () => Fetcher.ResolveAsync(Source(null, _server.Url("/downloads/python.tar.gz").AbsoluteUri, Sha256(truncated)), CancellationToken.None);

        await act.Should().ThrowAsync<Exception>();
        ExistingPythonIsUntouched();
    }

    [Fact]
    public async Task A_hostile_archive_is_refused_without_touching_python()
    {
        var source = _temp["hostile"];
        TreeBuilder.File(source, "python/bin/python3", "x", TreeBuilder.Executable);
        var archive = _temp["hostile.tar.gz"];
        Shell.RunIn(source, "tar", "-czf", archive, "--transform", "s,^python/bin/python3$,../../escaped,", "python");
        var bytes = File.ReadAllBytes(archive);
        _server.Serve("/downloads/hostile.tar.gz", bytes);
        PlantExistingPython();

        var act = () => Fetcher.ResolveAsync(Source(null, _server.Url("/downloads/hostile.tar.gz").AbsoluteUri, Sha256(bytes)), CancellationToken.None);

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("Refusing to extract*");
        ExistingPythonIsUntouched();
        File.Exists(_temp["escaped"]).Should().BeFalse();
    }

    [Fact]
    public async Task Never_replaces_a_python_folder_that_is_a_symlink()
    {
        Publish(PythonArchive());
        var own = _temp["users-own-python"];
        TreeBuilder.PythonLike(own);
        File.CreateSymbolicLink(Path.Combine(Root, "python"), Path.Combine(own, "python"));

        var act = () => Fetcher.ResolveAsync(Source(null, _server.Url(AssetPath).AbsoluteUri, null), CancellationToken.None);

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*is a symlink to*--embedded-python*");
        File.Exists(Path.Combine(own, "python", "lib", "python3.12", "os.py")).Should().BeTrue("the user's own python is untouched");
        _server.Requests.Should().BeEmpty("it fails before downloading anything");
        Directory.GetDirectories(Root, ".python-*").Should().BeEmpty();
    }

    [Fact]
    public async Task Installs_a_zstd_full_archive()
    {
        var archive = PythonArchive("--zstd -cf");
        const string full = Release + "cpython-3.12.12+20251014-aarch64-apple-darwin-pgo+lto-full.tar.zst";
        Publish(archive, full);

        var python = await Fetcher.ResolveAsync(Source(null, _server.Url(full).AbsoluteUri, null), CancellationToken.None);

        python.Version.Should().Be("3.12");
    }

    [Fact]
    public async Task Installs_an_archive_with_bin_at_the_top()
    {
        var archive = PythonArchive(top: ".");
        _server.Serve("/downloads/flat.tar.gz", archive);

        var python = await Fetcher.ResolveAsync(Source(null, _server.Url("/downloads/flat.tar.gz").AbsoluteUri, Sha256(archive)), CancellationToken.None);

        File.Exists(Path.Combine(Root, "python", "lib", "python3.12", "os.py")).Should().BeTrue();
        python.Directory.Should().Be(Path.Combine(Root, "python"));
    }

    [Fact]
    public async Task An_archive_without_a_python_is_an_error()
    {
        var source = _temp["nopython"];
        TreeBuilder.File(source, "docs/README", "x", TreeBuilder.Regular);
        var archive = _temp["nopython.tar.gz"];
        Shell.RunIn(source, "tar", "-czf", archive, "docs");
        var bytes = File.ReadAllBytes(archive);
        _server.Serve("/downloads/docs.tar.gz", bytes);

        var act = () => Fetcher.ResolveAsync(Source(null, _server.Url("/downloads/docs.tar.gz").AbsoluteUri, Sha256(bytes)), CancellationToken.None);

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*neither python/bin/python3 nor bin/python3*");
        Directory.Exists(Path.Combine(Root, "python")).Should().BeFalse();
    }

    [Fact]
    public async Task Warns_when_a_URL_has_no_checksum_to_verify_against()
    {
        _server.Serve("/downloads/python.tar.gz", PythonArchive());
        using var log = LogCapture.Start();

        await Fetcher.ResolveAsync(Source(null, _server.Url("/downloads/python.tar.gz").AbsoluteUri, null), CancellationToken.None);

        log.Events.Should().Contain(x => x.Level == Serilog.Events.LogEventLevel.Warning && x.RenderMessage().Contains("--cpython-sha256"));
    }

    [Fact]
    public async Task Embedded_python_wins_as_a_folder_or_as_its_interpreter()
    {
        var embedded = _temp["embedded"];
        TreeBuilder.PythonLike(embedded);
        _server.Serve(AssetPath, [1, 2, 3]);

        var byFolder = await Fetcher.ResolveAsync(Source(Path.Combine(embedded, "python"), _server.Url(AssetPath).AbsoluteUri, null), CancellationToken.None);
        var byInterpreter = await Fetcher.ResolveAsync(Source(Path.Combine(embedded, "python", "bin", "python3"), null, null), CancellationToken.None);

        byFolder.Directory.Should().Be(Path.Combine(embedded, "python"));
        byInterpreter.Should().Be(byFolder with { Origin = "--embedded-python" });
        _server.Requests.Should().BeEmpty("--embedded-python comes before --cpython-url");
    }

    [Fact]
    public async Task An_existing_python_folder_is_used_when_nothing_else_is_given()
    {
        TreeBuilder.PythonLike(Root);

        var python = await Fetcher.ResolveAsync(Source(null, null, null), CancellationToken.None);

        python.Origin.Should().Be("./python");
    }

    [Fact]
    public async Task Without_any_python_the_error_names_all_three_options()
    {
        var act = () => Fetcher.ResolveAsync(Source(null, null, null), CancellationToken.None);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message
            .Should().Contain("--embedded-python").And.Contain("--cpython-url").And.Contain("python/bin/python3");
    }

    [Fact]
    public async Task An_embedded_python_without_its_standard_library_is_refused()
    {
        TreeBuilder.File(_temp["bare"], "bin/python3", "x", TreeBuilder.Executable);

        var act = () => Fetcher.ResolveAsync(Source(_temp["bare"], null, null), CancellationToken.None);

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*no lib/python3.X/os.py*");
    }

    [Fact]
    public async Task FetchPython_step_installs_checks_and_remembers_the_python()
    {
        Publish(PythonArchive());
        File.WriteAllText(Path.Combine(Root, "package.json"), """{ "version": "2.0.0" }""");
        var steps = new ReleasePipeline(new ReleaseSettings { RootDirectory = Root, Python = new() { CpythonUrl = _server.Url(AssetPath).AbsoluteUri } }, new ToolRunner(new SecretMasker()))
        {
            PrepareOnMacOS = false,
        };

        await steps.FetchPythonAsync();

        steps.Results.Python!.Version.Should().Be("3.12");
        Directory.Exists(steps.Layout.CpythonCache).Should().BeTrue();
    }

    [Fact]
    public async Task FetchPython_step_refuses_a_python_that_does_not_run_on_Apple_Silicon()
    {
        var (_, prefix) = await Bundling.LauncherFixture.HostPython();
        var steps = new ReleasePipeline(new ReleaseSettings { RootDirectory = Root, Python = new() { EmbeddedPython = prefix } }) { PrepareOnMacOS = false };

        var act = () => steps.FetchPythonAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message
            .Should().Contain("an ELF").And.Contain("aarch64-apple-darwin").And.Contain("--allow-foreign-python");
    }

    [Fact]
    public async Task Allow_foreign_python_turns_the_refusal_into_a_warning()
    {
        var (_, prefix) = await Bundling.LauncherFixture.HostPython();
        var steps = new ReleasePipeline(new ReleaseSettings { RootDirectory = Root, Python = new() { EmbeddedPython = prefix, AllowForeignPython = true } }) { PrepareOnMacOS = false };
        using var log = LogCapture.Start();

        await steps.FetchPythonAsync();

        log.Events.Should().Contain(x => x.Level == Serilog.Events.LogEventLevel.Warning && x.RenderMessage().Contains("will not run on a Mac"));
        steps.Results.Python!.Directory.Should().Be(prefix);
    }

    private static PythonSource Source(string? embedded, string? url, string? sha256) =>
        new() { Embedded = embedded, Download = url is null ? null : new Uri(url), Sha256 = sha256 };
}
