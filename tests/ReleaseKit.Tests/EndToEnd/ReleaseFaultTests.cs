using Amazon.S3.Model;
using ReleaseKit.Notarization;
using ReleaseKit.Publishing;
using ReleaseKit.Signing;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.EndToEnd;

/// <summary>The same release with one fault at a time: each ends in a clear error, and nothing is left half-done.</summary>
[Trait("Category", TestTier.Slow)]
[Trait("Category", TestTier.HostPython)]
public class ReleaseFaultTests(EndToEndFixture fixture) : IClassFixture<EndToEndFixture>
{
    private static string Bundle(ReleaseProject project) => Path.Combine(project.Root, "dist-ext-python", "msty-mlx-studio");

    private static string[] Artifacts(ReleaseProject project) =>
        Directory.Exists(Path.Combine(project.Root, "artifacts")) ? Directory.GetFiles(Path.Combine(project.Root, "artifacts")).Select(x => Path.GetFileName(x)).ToArray() : [];

    [Fact]
    public async Task A_CPython_download_that_does_not_match_SHA256SUMS_stops_before_anything_is_built()
    {
        using var project = new ReleaseProject(fixture, "2.0.2");
        const string release = "/astral-sh/python-build-standalone/releases/download/20251015/";
        fixture.Downloads.Serve(release + EndToEndFixture.Asset, fixture.PythonArchive);
        fixture.Downloads.Serve(release + "SHA256SUMS", System.Text.Encoding.UTF8.GetBytes($"{new string('a', 64)}  {EndToEndFixture.Asset}\n"));

        var act = () => ReleaseFlow.ReleaseAndVerifyAsync(project.Steps(x => x with { Python = x.Python with { CpythonUrl = fixture.Downloads.Url(release + EndToEndFixture.Asset).ToString() } }));

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("Checksum mismatch");
        Directory.Exists(Path.Combine(project.Root, "python")).Should().BeFalse("the unverified download is not installed");
        Directory.GetFiles(Path.Combine(project.Root, ".nuke", "temp", "cpython")).Should().BeEmpty("nor cached");
        Directory.Exists(Path.Combine(project.Root, "dist-ext-python")).Should().BeFalse();
        project.Fakes.Calls("codesign").Should().BeEmpty();
        (await project.ObjectKeys()).Should().BeEmpty();
    }

    [Fact]
    public async Task Codesign_failing_on_one_extension_leaves_the_bundle_unsigned_and_nothing_packaged_or_uploaded()
    {
        using var project = new ReleaseProject(fixture, "2.0.3");
        project.Fakes.Fault("codesign.reject", "core.cpython-311-darwin.so");

        var act = () => ReleaseFlow.ReleaseAndVerifyAsync(project.Steps());

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should()
            .Contain("codesign failed on 1 of 2 files").And.Contain("_vendor/mlx/core.cpython-311-darwin.so").And.Contain("invalid or unsupported format for signature");
        SignatureRecord.Read(Bundle(project)).Should().BeNull();
        project.Fakes.Calls("xcrun").Should().BeEmpty();
        Artifacts(project).Should().BeEmpty();
        (await project.ObjectKeys()).Should().BeEmpty();
    }

    [Fact]
    public async Task An_Invalid_verdict_stops_the_release_before_Package_with_Apples_issues()
    {
        using var project = new ReleaseProject(fixture, "2.0.4");
        project.Fakes.NotaryScenario(new
        {
            verdict = "Invalid",
            issues = new[] { new { severity = "error", path = "_vendor/mlx/core.cpython-311-darwin.so", message = "The signature of the binary is invalid." } },
        });

        var act = () => ReleaseFlow.ReleaseAndVerifyAsync(project.Steps());

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should()
            .Contain("answered Invalid").And.Contain("_vendor/mlx/core.cpython-311-darwin.so: The signature of the binary is invalid.");
        Artifacts(project).Should().Equal("notarization-2.0.4.json");
        SubmissionRecord.Read(Path.Combine(project.Root, "artifacts", "notarization-2.0.4.json"))!.Status.Should().Be("Invalid");
        (await project.ObjectKeys()).Should().BeEmpty();
    }

    [Fact]
    public async Task An_upload_whose_key_already_exists_sends_nothing_and_keeps_the_published_object()
    {
        using var project = new ReleaseProject(fixture, "2.0.5");
        using (var client = R2Client.Create(fixture.Storage.Target, fixture.Storage.TrustingFactory))
        {
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Publishing.S3rverFixture.Bucket, Key = "releases/2.0.5/msty-mlx-studio-2.0.5.tgz", ContentBody = "the release already published", UseChunkEncoding = false,
            });
        }

        var act = () => ReleaseFlow.ReleaseAndVerifyAsync(project.Steps());

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("already exist").And.Contain("--force-upload");
        (await project.ObjectKeys()).Should().Equal("releases/2.0.5/msty-mlx-studio-2.0.5.tgz");
        using var check = R2Client.Create(fixture.Storage.Target, fixture.Storage.TrustingFactory);
        using var existing = await check.GetObjectAsync(Publishing.S3rverFixture.Bucket, "releases/2.0.5/msty-mlx-studio-2.0.5.tgz");
        (await new StreamReader(existing.ResponseStream).ReadToEndAsync()).Should().Be("the release already published");
    }

    [Fact]
    public async Task Ctrl_C_during_Package_leaves_no_tarball_and_uploads_nothing()
    {
        using var project = new ReleaseProject(fixture, "2.0.6");
        using var interrupt = new CancellationTokenSource();
        using var log = LogCapture.Start();
        // What Interruption does on the first SIGINT, at the moment Package has started writing.
        log.OnMessage("Packaging ", interrupt.Cancel);

        var act = () => ReleaseFlow.ReleaseAndVerifyAsync(project.Steps(cancellation: interrupt.Token));

        await act.Should().ThrowAsync<OperationCanceledException>();
        Artifacts(project).Should().Equal("notarization-2.0.6.json");
        SignatureRecord.Read(Bundle(project)).Should().NotBeNull("the signed, notarized bundle stays for the next run");
        (await project.ObjectKeys()).Should().BeEmpty();
    }
}
