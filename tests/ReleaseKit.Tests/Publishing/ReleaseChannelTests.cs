using System.Text.Json;
using ReleaseKit.Publishing;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Publishing;

/// <summary>Channel pointers in a real S3 server (s3rver, behind the proxy that enforces R2's conditional writes).</summary>
public class ReleaseChannelTests(S3rverFixture server) : IClassFixture<S3rverFixture>
{
    // Each test its own channel: the bucket is shared by the class.
    private readonly string _channel = $"test-{Guid.NewGuid():N}"[..16];

    private static readonly byte[] Manifest = "{ \"version\": \"x\" }\n"u8.ToArray();

    private async Task<ChannelPointer?> Read(ReleaseChannel channel) => (await channel.ReadAsync(ReleaseChannel.KeyOf(_channel), CancellationToken.None)).Pointer;

    private static Task<bool> Move(ReleaseChannel channel, string name, string version, bool force = false) =>
        channel.MoveAsync(name, "msty-mlx-studio", Pep440Version.Parse(version), $"releases/{version}/manifest.json", Manifest, null, force, CancellationToken.None);

    [Theory]
    [InlineData("2.0.0", "stable")]
    [InlineData("2.0.0b6", "beta")]
    [InlineData("2.0.0rc1", "beta")]
    [InlineData("2.0.0.dev3", "beta")]
    public void A_final_version_goes_to_stable_and_a_pre_release_to_beta(string version, string channel) =>
        ReleaseChannel.For(Pep440Version.Parse(version), null).Should().Be(channel);

    [Fact]
    public async Task Moves_only_forward_unless_forced()
    {
        await using var proxy = await server.StartProxyAsync();
        using var client = R2Client.Create(server.Target with { Endpoint = proxy.Endpoint }, server.TrustingFactory);
        var channel = new ReleaseChannel(client, server.Target);

        (await Move(channel, _channel, "2.0.0")).Should().BeTrue();
        (await Move(channel, _channel, "2.1.0")).Should().BeTrue();
        (await Move(channel, _channel, "2.0.5")).Should().BeFalse("a channel never moves back by itself");
        (await Read(channel))!.Version.Should().Be("2.1.0");
        (await Move(channel, _channel, "2.0.5", force: true)).Should().BeTrue();

        var pointer = (await Read(channel))!;
        pointer.Should().Match<ChannelPointer>(x => x.Version == "2.0.5" && x.Manifest == "releases/2.0.5/manifest.json" && x.App == "msty-mlx-studio" && x.Channel == _channel);
    }

    [Fact]
    public async Task Of_two_releases_racing_for_a_channel_the_older_stands_down()
    {
        await using var proxy = await server.StartProxyAsync();
        using var client = R2Client.Create(server.Target with { Endpoint = proxy.Endpoint }, server.TrustingFactory);
        using var direct = R2Client.Create(server.Target, server.TrustingFactory);
        var channel = new ReleaseChannel(client, server.Target);
        await Move(channel, _channel, "2.0.0");
        // Between this release's read and its write, another release writes 2.2.0.
        proxy.BeforePut($"{S3rverFixture.Bucket}/{ReleaseChannel.KeyOf(_channel)}", () => Move(new ReleaseChannel(direct, server.Target), _channel, "2.2.0"));
        using var log = LogCapture.Start();

        var moved = await Move(channel, _channel, "2.1.0");

        moved.Should().BeFalse("the conditional write lost to the newer release, which it then saw");
        (await Read(channel))!.Version.Should().Be("2.2.0");
        log.Messages.Should().Contain(x => x.Contains("was moved by someone else"));
        proxy.Requests.Count(x => x.StartsWith("PUT ") && x.Contains("channels")).Should().Be(2, "2.0.0, then the write that lost, and no third after the reread");
    }

    [Fact]
    public async Task A_newer_release_that_loses_the_race_to_an_older_one_reads_again_and_wins()
    {
        await using var proxy = await server.StartProxyAsync();
        using var client = R2Client.Create(server.Target with { Endpoint = proxy.Endpoint }, server.TrustingFactory);
        using var direct = R2Client.Create(server.Target, server.TrustingFactory);
        var channel = new ReleaseChannel(client, server.Target);
        await Move(channel, _channel, "2.0.0");
        proxy.BeforePut($"{S3rverFixture.Bucket}/{ReleaseChannel.KeyOf(_channel)}", () => Move(new ReleaseChannel(direct, server.Target), _channel, "2.0.1"));

        (await Move(channel, _channel, "2.1.0")).Should().BeTrue();

        (await Read(channel))!.Version.Should().Be("2.1.0");
    }

    [Fact]
    public async Task A_pointer_is_signed_over_its_manifest_with_a_trusted_comment_naming_channel_version_and_manifest()
    {
        using var keys = new TempDirectory("channel-key");
        Shell.Run("minisign", "-G", "-W", "-p", keys["k.pub"], "-s", keys["k.key"]);
        var key = ReleaseKit.Packaging.MinisignKey.Parse(File.ReadAllText(keys["k.key"]), null);
        using var client = R2Client.Create(server.Target, server.TrustingFactory);
        var channel = new ReleaseChannel(client, server.Target);

        await channel.MoveAsync(_channel, "msty-mlx-studio", Pep440Version.Parse("3.0.0"), "releases/3.0.0/manifest.json", Manifest,
            (bytes, comment) => key.Sign(new MemoryStream(bytes), comment), false, CancellationToken.None);

        var pointer = (await Read(channel))!;
        File.WriteAllBytes(keys["manifest.json"], Manifest);
        File.WriteAllText(keys["manifest.json.minisig"], pointer.Signature);
        Shell.Run("minisign", "-Vm", keys["manifest.json"], "-P", key.PublicKeyText)
            .Should().Contain($"channel:{_channel}\tversion:3.0.0\tmanifest:releases/3.0.0/manifest.json");
    }

    [Theory]
    [InlineData("Beta")]
    [InlineData("beta/../stable")]
    [InlineData("")]
    public void A_channel_name_outside_lower_case_letters_digits_and_dashes_is_a_settings_problem(string name)
    {
        var parameters = new R2Parameters { R2AccessKeyId = "k", R2SecretAccessKey = "s", R2Bucket = "b", R2Endpoint = "https://a.r2.cloudflarestorage.com", Channel = name };

        var problems = R2Options.Parse(parameters).Problems;

        if (name.Length == 0)
            problems.Should().BeEmpty("blank means the default channel");
        else
            problems.Should().ContainSingle().Which.Should().StartWith($"CHANNEL (--channel) is '{name}'");
    }
}
