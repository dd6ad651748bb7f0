using Amazon.S3.Model;
using ReleaseKit.Publishing;
using ReleaseKit.Signing;
using ReleaseKit.Tests.Publishing;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Verification;

/// <summary>Verify --from-r2 and --release-url: a signed release uploaded to s3rver, downloaded as users get it, and checked.</summary>
public class PublishedReleaseTests : IClassFixture<S3rverFixture>, IDisposable
{
    private readonly S3rverFixture _server;
    private readonly TempDirectory _temp = new("published");
    private readonly string _version = $"3.0.{Random.Shared.Next(1_000_000)}";
    private readonly string _publicKey;

    public PublishedReleaseTests(S3rverFixture server)
    {
        _server = server;
        File.WriteAllText(_temp["package.json"], $$"""{ "version": "{{_version}}" }""");
        TreeBuilder.File(Bundle, "msty-mlx-studio", "#!/bin/sh\n", TreeBuilder.Executable);
        TreeBuilder.File(Bundle, "python/lib/python3.12/os.py", "# os", TreeBuilder.Regular);
        SignatureRecord.Write(Bundle, new SignatureRecord("-", true, 0, SignatureRecord.FingerprintOf(Bundle), DateTimeOffset.UtcNow)
        {
            Contents = SignatureRecord.HashContentsAsync(Bundle, CancellationToken.None).GetAwaiter().GetResult(),
        });
        Shell.Run("minisign", "-G", "-W", "-p", _temp["update.pub"], "-s", _temp["update.key"]);
        _publicKey = File.ReadAllLines(_temp["update.pub"])[1];
    }

    public void Dispose() => _temp.Dispose();

    private string Bundle => _temp["dist-ext-python/msty-mlx-studio"];

    private string Prefix => $"releases/{_version}/";

    private ReleasePipeline Steps(Func<ReleaseSettings, ReleaseSettings>? change = null)
    {
        var settings = new ReleaseSettings
        {
            RootDirectory = _temp.Path,
            Signing = new() { SignId = "-" },
            Package = new() { UpdateSigningKey = _temp["update.key"], UpdatePublicKey = _publicKey },
            Upload = new() { R2Endpoint = _server.Endpoint, R2Bucket = S3rverFixture.Bucket, R2AccessKeyId = "S3RVER", R2SecretAccessKey = "S3RVER" },
        };
        return new ReleasePipeline(change?.Invoke(settings) ?? settings)
        {
            S3HttpClientFactory = _server.TrustingFactory,
            VerifyOnMacOS = false,
            WorkDirectory = _temp.Path,
        };
    }

    private async Task ReleaseAsync()
    {
        var steps = Steps();
        await steps.PackageAsync();
        await steps.UploadAsync();
    }

    private ReleasePipeline FromR2(string? publicKey = null) =>
        Steps(x => x with { Verify = new() { FromR2 = true }, Package = new() { UpdatePublicKey = publicKey ?? _publicKey } });

    [Fact]
    public async Task Verifies_the_release_users_download_from_the_bucket()
    {
        await ReleaseAsync();
        using var log = LogCapture.Start();

        await FromR2().VerifyAsync();

        log.Messages.Should().Contain(x => x.Contains($"{Prefix}msty-mlx-studio-{_version}.tgz.minisig") && x.Contains("update signature") && x.Contains(" ok "));
        log.Messages.Should().Contain(x => x.StartsWith("Verified "));
        Directory.GetDirectories(_temp.Path, "verify-*").Should().BeEmpty("the downloads are removed");
    }

    [Fact]
    public async Task A_tarball_replaced_in_the_bucket_fails_and_is_named()
    {
        await ReleaseAsync();
        using (var client = R2Client.Create(_server.Target, _server.TrustingFactory))
            await client.PutObjectAsync(new PutObjectRequest { BucketName = S3rverFixture.Bucket, Key = $"{Prefix}msty-mlx-studio-{_version}.tgz", ContentBody = "not the release" });

        var act = () => FromR2().VerifyAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should()
            .Contain($"s3://{S3rverFixture.Bucket}/{Prefix}msty-mlx-studio-{_version}.tgz: manifest size and sha256")
            .And.Contain("update signature (the file does not match its signature)");
    }

    [Fact]
    public async Task Another_public_key_fails_the_signature()
    {
        await ReleaseAsync();
        Shell.Run("minisign", "-G", "-W", "-p", _temp["other.pub"], "-s", _temp["other.key"]);

        var act = () => FromR2(File.ReadAllLines(_temp["other.pub"])[1]).VerifyAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("update signature (it was made with key");
    }

    [Fact]
    public async Task Verifies_over_HTTPS_from_the_address_in_front_of_the_bucket()
    {
        var steps = Steps();
        await steps.PackageAsync();
        await steps.UploadAsync();
        using var web = new TestHttpServer();
        foreach (var file in Directory.GetFiles(_temp["artifacts"]))
            web.Serve($"/{Prefix}{Path.GetFileName(file)}", File.ReadAllBytes(file));

        await Steps(x => x with { Verify = new() { ReleaseUrl = web.Url("/").AbsoluteUri }, Upload = new() }).VerifyAsync();

        web.Requests.Select(x => x.Path).Should().Contain([$"/{Prefix}manifest.json", $"/{Prefix}msty-mlx-studio-{_version}.tgz.minisig"]);
    }

    [Fact]
    public async Task Promote_moves_a_channel_to_a_release_that_verifies_from_the_bucket()
    {
        await ReleaseAsync();
        var channel = $"candidate-{Guid.NewGuid():N}"[..20];
        var steps = Steps(x => x with { Upload = x.Upload with { Channel = channel } });

        await steps.PromoteAsync();

        steps.Results.Channel.Should().Be(channel);
        using var client = R2Client.Create(_server.Target, _server.TrustingFactory);
        var (pointer, _) = await new ReleaseChannel(client, _server.Target).ReadAsync(ReleaseChannel.KeyOf(channel), CancellationToken.None);
        pointer!.Version.Should().Be(_version);
        pointer.Signature.Should().Contain($"trusted comment: channel:{channel}\tversion:{_version}\tmanifest:{Prefix}manifest.json");
    }

    [Fact]
    public async Task Promote_of_a_tampered_release_fails_and_leaves_the_channel_alone()
    {
        await ReleaseAsync();
        var channel = $"candidate-{Guid.NewGuid():N}"[..20];
        using var client = R2Client.Create(_server.Target, _server.TrustingFactory);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = S3rverFixture.Bucket, Key = $"{Prefix}msty-mlx-studio-{_version}.tgz.sha256", ContentBody = new string('0', 64) });

        var act = () => Steps(x => x with { Upload = x.Upload with { Channel = channel } }).PromoteAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain($"{Prefix}msty-mlx-studio-{_version}.tgz.sha256: sha256");
        (await new ReleaseChannel(client, _server.Target).ReadAsync(ReleaseChannel.KeyOf(channel), CancellationToken.None)).Pointer.Should().BeNull();
    }

    [Theory]
    [InlineData(true, "https://downloads.example.com/", "give one")]
    [InlineData(false, "ftp://downloads.example.com/", "must be an https:// address")]
    public void Where_to_download_from_is_checked_with_the_settings(bool fromR2, string url, string problem)
    {
        var parsed = ReleaseKit.Verification.VerifyOptions.Parse(new() { FromR2 = fromR2, ReleaseUrl = url }, null, libraryValidation: false, _publicKey, R2Options.Parse(new()), onMacOS: false);

        parsed.Problems.Should().ContainSingle().Which.Should().Contain(problem);
    }

    [Fact]
    public void A_public_key_that_is_not_the_signing_keys_is_a_settings_problem()
    {
        Shell.Run("minisign", "-G", "-W", "-p", _temp["other.pub"], "-s", _temp["other.key"]);

        var parsed = ReleaseKit.Packaging.PackageOptions.Parse(new() { UpdateSigningKey = _temp["update.key"], UpdatePublicKey = File.ReadAllLines(_temp["other.pub"])[1] }, _ => null);

        parsed.Problems.Should().ContainSingle().Which.Should().StartWith("UPDATE_PUBLIC_KEY (--update-public-key) is not the public half of UPDATE_SIGNING_KEY");
    }
}
