using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ReleaseKit.Packaging;
using ReleaseKit.Publishing;
using ReleaseKit.Settings;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Publishing;

public class UploadTests(S3rverFixture server) : IClassFixture<S3rverFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _version = $"2.0.0b{Random.Shared.Next(1_000_000)}";

    public void Dispose() => _temp.Dispose();

    private AmazonS3Client Client() => R2Client.Create(server.Target, server.TrustingFactory);

    private AmazonS3Client Proxied(FaultProxy proxy) => R2Client.Create(server.Target with { Endpoint = proxy.Endpoint }, server.TrustingFactory);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<byte[]> Download(string key)
    {
        using var client = Client();
        using var response = await client.GetObjectAsync(S3rverFixture.Bucket, key);
        using var body = new MemoryStream();
        await response.ResponseStream.CopyToAsync(body);
        return body.ToArray();
    }

    private string File(string name, int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var path = _temp[name];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private ReleasePipeline Steps(Func<ReleaseSettings, ReleaseSettings>? change = null)
    {
        System.IO.File.WriteAllText(_temp["package.json"], $$"""{ "version": "{{_version}}" }""");
        var tarball = File($"artifacts/msty-mlx-studio-{_version}.tgz", 300_000);
        System.IO.File.WriteAllText(tarball + ".sha256", $"{Sha256(System.IO.File.ReadAllBytes(tarball))}  {Path.GetFileName(tarball)}\n");
        var settings = new ReleaseSettings
        {
            RootDirectory = _temp.Path,
            Upload = new() { R2Endpoint = server.Endpoint, R2Bucket = S3rverFixture.Bucket, R2AccessKeyId = "S3RVER", R2SecretAccessKey = "S3RVER" },
        };
        return new ReleasePipeline(change?.Invoke(settings) ?? settings) { S3HttpClientFactory = server.TrustingFactory };
    }

    /// <summary>Another build of the same version: new tarball bytes and their .sha256.</summary>
    private byte[] Rebuild()
    {
        var tarball = _temp[$"artifacts/msty-mlx-studio-{_version}.tgz"];
        var bytes = new byte[250_000];
        new Random(7).NextBytes(bytes);
        System.IO.File.WriteAllBytes(tarball, bytes);
        System.IO.File.WriteAllText(tarball + ".sha256", $"{Sha256(bytes)}  {Path.GetFileName(tarball)}\n");
        return bytes;
    }

    [Fact]
    public async Task Uploads_the_tarball_its_checksum_and_the_manifest_under_releases_version()
    {
        var steps = Steps();
        using var log = LogCapture.Start();

        await steps.UploadAsync();

        var prefix = $"releases/{_version}/";
        steps.Results.Uploaded.Select(x => x.Key).Should().Equal(
            $"{prefix}msty-mlx-studio-{_version}.tgz", $"{prefix}msty-mlx-studio-{_version}.tgz.sha256", $"{prefix}manifest.json");
        foreach (var uploaded in steps.Results.Uploaded)
        {
            Sha256(await Download(uploaded.Key)).Should().Be(uploaded.Sha256, $"{uploaded.Key} must arrive byte for byte (an aws-chunked body would not)");
            log.Messages.Should().Contain(x => x.Contains(uploaded.Url));
        }

        var tarball = System.IO.File.ReadAllBytes(_temp[$"artifacts/msty-mlx-studio-{_version}.tgz"]);
        using var manifest = JsonDocument.Parse(await Download($"{prefix}manifest.json"));
        manifest.RootElement.GetProperty("app").GetString().Should().Be("msty-mlx-studio");
        manifest.RootElement.GetProperty("version").GetString().Should().Be(_version);
        manifest.RootElement.GetProperty("file").GetString().Should().Be($"msty-mlx-studio-{_version}.tgz");
        manifest.RootElement.GetProperty("size").GetInt64().Should().Be(tarball.Length);
        manifest.RootElement.GetProperty("sha256").GetString().Should().Be(Sha256(tarball));
        manifest.RootElement.TryGetProperty("created", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Stores_the_sha256_as_metadata_and_a_plain_body()
    {
        var steps = Steps(x => x with { Upload = x.Upload with { R2Path = $"custom/{_version}" } });

        await steps.UploadAsync();

        using var client = Client();
        var head = await client.GetObjectMetadataAsync(S3rverFixture.Bucket, $"custom/{_version}/msty-mlx-studio-{_version}.tgz");
        head.Metadata["x-amz-meta-sha256"].Should().Be(steps.Results.Uploaded[0].Sha256);
        (head.Headers.ContentEncoding ?? "").Should().NotContain("aws-chunked");
    }

    [Fact]
    public async Task Uploads_a_large_file_in_parallel_parts_and_leaves_no_multipart_upload_behind()
    {
        var file = File("big.bin", 12 * 1024 * 1024 + 123);
        using var client = Client();
        var uploader = new R2Uploader(client, server.Target) { MultipartThreshold = 5 << 20, PartSize = 5 << 20 };
        using var log = LogCapture.Start();

        var uploaded = await uploader.UploadAsync([new UploadItem($"multipart/{_version}/big.bin", file, "application/octet-stream")], force: false, CancellationToken.None);

        Sha256(await Download($"multipart/{_version}/big.bin")).Should().Be(Sha256(System.IO.File.ReadAllBytes(file)));
        uploaded.Single().Size.Should().Be(12 * 1024 * 1024 + 123);
        log.Messages.Should().Contain(x => x.StartsWith("Uploading ") && x.Contains("(100%)"));
        server.PendingMultipartUploads().Should().BeEmpty();
    }

    [Fact]
    public async Task Uploads_a_zero_byte_object()
    {
        var empty = _temp.Write("empty.txt", "");
        using var client = Client();

        await new R2Uploader(client, server.Target).UploadAsync([new UploadItem($"empty/{_version}/empty.txt", empty, "text/plain")], false, CancellationToken.None);

        (await Download($"empty/{_version}/empty.txt")).Should().BeEmpty();
    }

    [Fact]
    public async Task Refuses_to_replace_an_existing_release_before_sending_anything()
    {
        await Steps().UploadAsync();
        var before = await Download($"releases/{_version}/manifest.json");
        System.IO.File.AppendAllText(_temp[$"artifacts/msty-mlx-studio-{_version}.tgz"], "a different build");

        var act = () => Steps().UploadAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message
            .Should().Contain($"releases/{_version}/msty-mlx-studio-{_version}.tgz").And.Contain("--force-upload").And.Contain("nothing was uploaded");
        (await Download($"releases/{_version}/manifest.json")).Should().Equal(before);
    }

    [Fact]
    public async Task Force_upload_replaces_an_existing_release()
    {
        await Steps().UploadAsync();
        await using var proxy = await server.StartProxyAsync();
        var steps = Steps(x => x with { Upload = x.Upload with { ForceUpload = true, R2Endpoint = proxy.Endpoint } });

        await steps.UploadAsync();

        Sha256(await Download(steps.Results.Uploaded[0].Key)).Should().Be(steps.Results.Uploaded[0].Sha256);
    }

    [Fact]
    public async Task Refuses_a_checksum_file_that_does_not_match_the_tarball_and_sends_nothing()
    {
        var steps = Steps();
        var checksum = _temp[$"artifacts/msty-mlx-studio-{_version}.tgz.sha256"];
        System.IO.File.WriteAllText(checksum, $"{new string('0', 64)}  msty-mlx-studio-{_version}.tgz\n");

        var act = () => steps.UploadAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain($"says {new string('0', 64)}").And.Contain("nothing was uploaded").And.Contain("Run Package again");
        using var check = Client();
        var listing = await check.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rverFixture.Bucket, Prefix = $"releases/{_version}/" });
        (listing.S3Objects ?? []).Should().BeEmpty();
    }

    [Fact]
    public async Task Builds_the_manifest_from_the_tarball_itself()
    {
        var steps = Steps();
        var tarball = _temp[$"artifacts/msty-mlx-studio-{_version}.tgz"];

        await steps.UploadAsync();

        using var manifest = JsonDocument.Parse(await Download($"releases/{_version}/manifest.json"));
        manifest.RootElement.GetProperty("sha256").GetString().Should().Be(Sha256(System.IO.File.ReadAllBytes(tarball)));
        manifest.RootElement.GetProperty("size").GetInt64().Should().Be(new FileInfo(tarball).Length);
        steps.Results.Uploaded[0].Sha256.Should().Be(Sha256(System.IO.File.ReadAllBytes(tarball)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_forced_upload_that_fails_at_any_object_leaves_the_whole_old_release(int refused)
    {
        await Steps().UploadAsync();
        var prefix = $"releases/{_version}/";
        string[] keys = [$"{prefix}msty-mlx-studio-{_version}.tgz", $"{prefix}msty-mlx-studio-{_version}.tgz.sha256", $"{prefix}manifest.json"];
        var before = new Dictionary<string, byte[]>();
        foreach (var key in keys)
            before[key] = await Download(key);
        await using var proxy = await server.StartProxyAsync();
        proxy.RefusePut($"{S3rverFixture.Bucket}/{keys[refused]}");
        var steps = Steps(x => x with { Upload = x.Upload with { ForceUpload = true, R2Endpoint = proxy.Endpoint } });
        Rebuild();

        var act = () => steps.UploadAsync();

        var message = (await act.Should().ThrowAsync<ReleaseException>()).Which.Message;
        message.Should().Contain($"failed at {keys[refused]}: 403 AccessDenied").And.Contain("The bucket is as it was: restored the previous");
        foreach (var key in keys)
            (await Download(key)).Should().Equal(before[key], $"{key} is the old release's after a refused PUT of {keys[refused]}");
        using var check = Client();
        var copies = await check.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rverFixture.Bucket, Prefix = R2Uploader.BackupPrefix });
        (copies.S3Objects ?? []).Should().NotContain(x => x.Key.Contains(_version), "the copies of the old objects are removed once they are back");
    }

    [Fact]
    public async Task A_forced_upload_that_succeeds_leaves_the_new_release_and_no_copies()
    {
        await Steps().UploadAsync();
        await using var proxy = await server.StartProxyAsync();
        var steps = Steps(x => x with { Upload = x.Upload with { ForceUpload = true, R2Endpoint = proxy.Endpoint } });
        var tarball = Rebuild();

        await steps.UploadAsync();

        foreach (var uploaded in steps.Results.Uploaded)
            Sha256(await Download(uploaded.Key)).Should().Be(uploaded.Sha256);
        (await Download(steps.Results.Uploaded[0].Key)).Should().Equal(tarball, "the new build replaced the old one");
        using var check = Client();
        var copies = await check.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rverFixture.Bucket, Prefix = R2Uploader.BackupPrefix });
        (copies.S3Objects ?? []).Should().NotContain(x => x.Key.Contains(_version));
    }

    [Fact]
    public async Task Uploads_the_update_signature_before_the_manifest_which_carries_it()
    {
        var steps = Steps();
        var tarball = _temp[$"artifacts/msty-mlx-studio-{_version}.tgz"];
        Shell.Run("minisign", "-G", "-W", "-p", _temp["u.pub"], "-s", _temp["u.key"]);
        var key = MinisignKey.Parse(System.IO.File.ReadAllText(_temp["u.key"]), null);
        var sha256 = Sha256(System.IO.File.ReadAllBytes(tarball));
        System.IO.File.WriteAllText(tarball + ".minisig", UpdateSignature.Sign(key, tarball, Path.GetFileName(tarball), _version, sha256, DateTimeOffset.UnixEpoch));

        await steps.UploadAsync();

        var prefix = $"releases/{_version}/";
        steps.Results.Uploaded.Select(x => x.Key).Should().EndWith([$"{prefix}msty-mlx-studio-{_version}.tgz.minisig", $"{prefix}manifest.json"]);
        using var manifest = JsonDocument.Parse(await Download($"{prefix}manifest.json"));
        manifest.RootElement.GetProperty("signature").GetString().Should().Be(System.IO.File.ReadAllText(tarball + ".minisig"));
        manifest.RootElement.GetProperty("keyId").GetString().Should().Be(key.Id);
    }

    [Fact]
    public async Task Refuses_a_signature_of_another_build()
    {
        var steps = Steps();
        var tarball = _temp[$"artifacts/msty-mlx-studio-{_version}.tgz"];
        Shell.Run("minisign", "-G", "-W", "-p", _temp["u.pub"], "-s", _temp["u.key"]);
        var key = MinisignKey.Parse(System.IO.File.ReadAllText(_temp["u.key"]), null);
        System.IO.File.WriteAllText(tarball + ".minisig", UpdateSignature.Sign(key, tarball, Path.GetFileName(tarball), _version, new string('0', 64), DateTimeOffset.UnixEpoch));

        var act = () => steps.UploadAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("signs another build").And.Contain("nothing was uploaded");
    }

    [Fact]
    public async Task Needs_the_packaged_files()
    {
        var steps = Steps();
        System.IO.File.Delete(_temp[$"artifacts/msty-mlx-studio-{_version}.tgz"]);

        var act = () => steps.UploadAsync();

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*run Package first*");
    }

    [Fact]
    public async Task A_key_written_by_someone_else_during_the_upload_is_refused_with_412_and_this_runs_objects_are_taken_back()
    {
        await using var proxy = await server.StartProxyAsync();
        var sumsKey = $"race/{_version}/app.tgz.sha256";
        var tarball = File("race/app.tgz", 20_000);
        var sums = _temp.Write("race/app.tgz.sha256", "someone else's file");
        using (var direct = Client())
            await new R2Uploader(direct, server.Target).UploadAsync([new UploadItem(sumsKey, sums, "text/plain")], false, CancellationToken.None);
        proxy.HideFromHead($"{S3rverFixture.Bucket}/{sumsKey}");
        using var client = Proxied(proxy);

        var act = () => new R2Uploader(client, server.Target with { Endpoint = proxy.Endpoint }).UploadAsync(
            [new UploadItem($"race/{_version}/app.tgz", tarball, "application/gzip"), new UploadItem(sumsKey, tarball, "text/plain")], false, CancellationToken.None);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("412").And.Contain("appeared");
        (await Download(sumsKey)).Should().Equal(System.Text.Encoding.UTF8.GetBytes("someone else's file"), "nothing was replaced");
        using var check = Client();
        var missing = () => check.GetObjectMetadataAsync(S3rverFixture.Bucket, $"race/{_version}/app.tgz");
        (await missing.Should().ThrowAsync<AmazonS3Exception>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound, "the tarball this run put up is removed again");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Ctrl_C_right_after_an_object_landed_leaves_the_bucket_as_it_began(int interrupted)
    {
        await using var proxy = await server.StartProxyAsync();
        string[] keys = [$"cancel/{_version}/app.tgz", $"cancel/{_version}/app.tgz.sha256", $"cancel/{_version}/manifest.json"];
        var items = keys.Select((key, index) => new UploadItem(key, File($"cancel/{index}", 10_000 + index), "application/octet-stream")).ToArray();
        using var cancellation = new CancellationTokenSource();
        proxy.LoseResponse($"{S3rverFixture.Bucket}/{keys[interrupted]}", cancellation.Cancel);
        using var client = Proxied(proxy);

        var act = () => new R2Uploader(client, server.Target with { Endpoint = proxy.Endpoint }).UploadAsync(items, false, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        using var check = Client();
        var listing = await check.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = S3rverFixture.Bucket, Prefix = $"cancel/{_version}/" });
        (listing.S3Objects ?? []).Select(x => x.Key).Should().BeEmpty("every key this run attempted is taken back, including the one whose answer was lost");
    }

    [Fact]
    public async Task A_lost_answer_after_the_object_landed_is_recognised_on_the_retry_as_this_runs_object()
    {
        await using var proxy = await server.StartProxyAsync();
        var key = $"lost/{_version}/app.tgz";
        var file = File("lost/app.tgz", 30_000);
        proxy.LoseResponse($"{S3rverFixture.Bucket}/{key}");
        using var client = Proxied(proxy);

        var uploaded = await new R2Uploader(client, server.Target with { Endpoint = proxy.Endpoint }) { FirstRetryDelay = TimeSpan.Zero }
            .UploadAsync([new UploadItem(key, file, "application/gzip")], false, CancellationToken.None);

        uploaded.Should().ContainSingle();
        (await Download(key)).Should().Equal(System.IO.File.ReadAllBytes(file));
        proxy.Requests.Count(x => x.StartsWith($"PUT /{S3rverFixture.Bucket}/{key}")).Should().Be(2, "the retry met 412 on its own object and accepted it by its SHA-256");
    }

    [Fact]
    public async Task A_part_that_fails_once_is_retried()
    {
        await using var proxy = await server.StartProxyAsync();
        proxy.FailPart(2, times: 1);
        var file = File("retry.bin", 11 * 1024 * 1024);
        using var client = Proxied(proxy);
        var uploader = new R2Uploader(client, server.Target) { MultipartThreshold = 5 << 20, PartSize = 5 << 20, FirstRetryDelay = TimeSpan.FromMilliseconds(10) };

        await uploader.UploadAsync([new UploadItem($"retry/{_version}/retry.bin", file, "application/octet-stream")], false, CancellationToken.None);

        Sha256(await Download($"retry/{_version}/retry.bin")).Should().Be(Sha256(System.IO.File.ReadAllBytes(file)));
        proxy.Requests.Count(x => x.StartsWith("PUT ") && x.Contains("partNumber=2")).Should().BeGreaterThanOrEqualTo(2);
        server.PendingMultipartUploads().Should().BeEmpty();
    }

    [Fact]
    public async Task A_part_that_keeps_failing_aborts_the_upload_and_leaves_no_parts()
    {
        await using var proxy = await server.StartProxyAsync();
        proxy.FailPart(1, times: 100);
        var file = File("doomed.bin", 11 * 1024 * 1024);
        using var client = Proxied(proxy);
        var uploader = new R2Uploader(client, server.Target) { MultipartThreshold = 5 << 20, PartSize = 5 << 20, MaxAttempts = 2, FirstRetryDelay = TimeSpan.FromMilliseconds(10) };
        using var log = LogCapture.Start();

        var act = () => uploader.UploadAsync([new UploadItem($"doomed/{_version}/doomed.bin", file, "application/octet-stream")], false, CancellationToken.None);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("failed at doomed/").And.Contain("500 InternalError").And.Contain("The bucket is as it was");
        proxy.Requests.Count(x => x.StartsWith("PUT ") && x.Contains("partNumber=1&")).Should().Be(2, "one retry policy: MaxAttempts, not multiplied by the SDK's own retries");
        log.Messages.Should().Contain(x => x.Contains("Aborted the multipart upload"));
        proxy.Requests.Should().Contain(x => x.StartsWith("DELETE ") && x.Contains("uploadId="));
        server.PendingMultipartUploads().Should().BeEmpty("an aborted upload leaves no parts behind");
    }

    [Theory]
    [InlineData(null, "releases/2.0.0/")]
    [InlineData("custom/path", "custom/path/")]
    [InlineData("custom/path///", "custom/path/")]
    public void Uses_one_trailing_slash_and_the_release_folder_by_default(string? r2Path, string expected)
    {
        R2Options.Parse(R2 with { R2Path = r2Path }).Require().KeyPrefix("2.0.0").Should().Be(expected);
    }

    [Theory]
    [InlineData("/absolute")]
    [InlineData("releases/../other")]
    [InlineData("releases/./2.0.0")]
    [InlineData("releases/2.0.0?v=1")]
    public void Rejects_prefixes_that_leave_the_bucket_layout(string r2Path)
    {
        R2Options.Parse(R2 with { R2Path = r2Path }).Problems.Should().ContainSingle().Which.Should().StartWith($"R2_PATH (--r2-path) '{r2Path}' ");
    }

    private static readonly R2Parameters R2 = new()
    {
        R2AccessKeyId = "key", R2SecretAccessKey = "secret", R2Bucket = "releases", R2Endpoint = "https://account.r2.cloudflarestorage.com",
    };
}
