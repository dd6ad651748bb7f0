using ReleaseKit.Notarization;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.EndToEnd;

/// <summary>
/// The whole release on Linux: download and verify CPython from 127.0.0.1, bundle with real pip
/// and the real launcher, sign with the codesign fake, notarize with the notarytool fake, package,
/// upload to s3rver over TLS, verify the tarball; then run the launcher from the extracted tarball.
/// </summary>
/// <remarks>The README's "try it on Linux" runs this test; its log is written to the test output.</remarks>
[Trait("Category", TestTier.Slow)]
[Trait("Category", TestTier.HostPython)]
public class ReleaseEndToEndTests(EndToEndFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<EndToEndFixture>, IDisposable
{
    private readonly ReleaseProject _project = new(fixture, "2.0.1");
    private readonly LogCapture _log = LogCapture.Start();

    public void Dispose()
    {
        foreach (var message in _log.Messages)
            output.WriteLine(message);
        _log.Dispose();
        _project.Dispose();
    }

    [Fact]
    public async Task Releases_verifies_and_the_shipped_launcher_serves_and_stops_cleanly_on_SIGTERM()
    {
        var log = _log;
        var steps = _project.Steps();

        await ReleaseFlow.ReleaseAndVerifyAsync(steps);

        // Every stage happened, in order, with the documented arguments.
        var codesign = _project.Fakes.Calls("codesign");
        codesign.Where(x => x.Contains("--sign")).SelectMany(x => x).Should().Contain(x => x.EndsWith("libmlx.dylib")).And.Contain(x => x.EndsWith(".cpython-311-darwin.so"));
        _project.Fakes.Calls("xcrun").Select(x => x[1]).Should().Equal("submit", "wait", "info", "log");
        steps.Results.Notarization!.Should().Match<NotarizationResult>(x => x.Status == "Accepted" && x.Warnings == 1);
        log.Messages.Should().Contain(x => x.StartsWith("Apple warning: _vendor/mlx/lib/libmlx.dylib"));

        var summary = steps.Summary!;
        summary.Should().Match<ReleaseSummary>(x => x.Version == "2.0.1" && x.Variant == "external" && x.SignedFiles == 2 &&
            x.Notarization.StartsWith("Accepted (") && x.Tarball == "artifacts/msty-mlx-studio-2.0.1.tgz" && x.Sha256 == steps.Results.Package!.Sha256);
        summary.Uploaded.Should().Equal(steps.Results.Uploaded.Select(x => x.Url));
        var table = summary.ToTable().Split(Environment.NewLine);
        table.Should().HaveCount(2);
        table[0].Should().StartWith("| version | variant  | signed  | notarization");
        log.Messages.Should().Contain(x => x.Contains(table[1]));

        (await _project.ObjectKeys()).Should().BeEquivalentTo(
            "releases/2.0.1/msty-mlx-studio-2.0.1.tgz", "releases/2.0.1/msty-mlx-studio-2.0.1.tgz.sha256", "releases/2.0.1/msty-mlx-studio-2.0.1.cdx.json",
            "releases/2.0.1/manifest.json");
        File.ReadAllText(Path.Combine(_project.Root, "artifacts", "manifest.json")).Should().Contain("\"sbom\": \"msty-mlx-studio-2.0.1.cdx.json\"");
        log.Messages.Should().Contain(x => x.StartsWith("Licence review needed for 2 package(s): gpl-helper 1.2.0 (copyleft: GPL-3.0-only); mystery-lib 0.1.0 (no licence information)"));
        summary.LicenseReview.Should().Equal("gpl-helper 1.2.0 (copyleft: GPL-3.0-only)", "mystery-lib 0.1.0 (no licence information)");
        table[1].Should().Contain("review 2: gpl-helper");
        log.Messages.Should().Contain(x => x.StartsWith("Verified ") && x.Contains("checks passed"));
        log.Messages.Should().Contain(x => x.Contains("signed contents") && x.Contains("as Sign hashed them"), "Verify compares what it unpacked with what Sign signed");
        _project.Fakes.Calls("spctl").Select(x => x[2]).Should().Equal("install", "exec");

        // The round trip: GNU tar unpacks what was shipped, and the app runs from it.
        var unpacked = _project.Temp["unpacked"];
        Directory.CreateDirectory(unpacked);
        Shell.Run("tar", "-xzf", steps.Results.Package!.Tarball, "-C", unpacked);
        var launcher = Path.Combine(unpacked, "msty-mlx-studio", "msty-mlx-studio");
        Shell.Run(launcher, "--version").Trim().Should().Be("mlxk2 2.0.4");
        await ShipsItsInventory.AssertAsync(Path.Combine(unpacked, "msty-mlx-studio"), Path.Combine(_project.Root, "artifacts", "msty-mlx-studio-2.0.1.cdx.json"), steps.Results.Package!.Sha256);

        using var server = RunningProcess.Start(launcher, ["serve"]);
        await server.WaitForLine("serving");
        var port = server.Lines.First(x => x.StartsWith("listening on")).Split(':')[^1];
        using var http = new HttpClient();
        (await http.GetStringAsync($"http://127.0.0.1:{port}/")).Should().Be("mlxk2 2.0.4 serving\n");
        Signals.Send(server.Id, Signals.SIGTERM);
        (await server.WaitForExit()).Should().Be(0);
        server.Lines.Should().Contain("stopped by SIGTERM");
    }
}
