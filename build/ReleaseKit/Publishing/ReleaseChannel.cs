using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.S3;
using Amazon.S3.Model;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Publishing;

/// <summary>
/// What releases/channels/&lt;channel&gt;.json says: which version the in-app updater of that channel
/// takes, and where its manifest is. <see cref="Signature"/> is a minisign signature of that
/// manifest's bytes whose signed trusted comment names the channel, the version and the manifest's
/// key, so a pointer cannot be moved to another release, or a manifest swapped, without the key.
/// </summary>
public sealed record ChannelPointer(
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("manifest")] string Manifest,
    [property: JsonPropertyName("updated")] DateTimeOffset Updated)
{
    [JsonPropertyName("signature"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Signature { get; init; }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    public static ChannelPointer? FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ChannelPointer>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The trusted comment of the pointer's signature.</summary>
    public static string TrustedComment(string channel, string version, string manifest) => $"channel:{channel}\tversion:{version}\tmanifest:{manifest}";
}

/// <summary>
/// Moves a channel pointer to a release, forward only (PEP 440 order) unless forced. The write is
/// conditional on the pointer read just before (If-Match on its ETag, If-None-Match: * when there
/// is none), so of two releases racing for a channel only one can win; the other rereads and
/// either goes ahead of it or stands down with a message.
/// </summary>
public sealed class ReleaseChannel(IAmazonS3 s3, R2Target target)
{
    public const string Prefix = "releases/channels/";

    public static string KeyOf(string channel) => $"{Prefix}{channel}.json";

    /// <summary>stable for a final version, beta for a pre-release (PEP 440), unless named.</summary>
    public static string For(Pep440Version version, string? named) => named ?? (version.IsPrerelease ? "beta" : "stable");

    /// <returns>True when the channel now names this release; false when it already names a newer one.</returns>
    /// <param name="sign">Signs the manifest's bytes with the given trusted comment; null leaves the pointer unsigned.</param>
    public async Task<bool> MoveAsync(string channel, string app, Pep440Version version, string manifestKey, byte[] manifest, Func<byte[], string, string>? sign,
        bool force, CancellationToken cancellationToken)
    {
        var key = KeyOf(channel);
        for (var attempt = 1; ; attempt++)
        {
            var (current, etag) = await ReadAsync(key, cancellationToken);
            if (current is not null && !force && Pep440Version.TryParse(current.Version, out var existing) && existing >= version)
            {
                Log.Warning("Channel {Channel} stays at {Current}: {Version} is not newer (pass --force-channel to move it back)", channel, current.Version, version.Text);
                return false;
            }

            var pointer = new ChannelPointer(channel, app, version.Text, manifestKey, DateTimeOffset.UtcNow)
            {
                Signature = sign?.Invoke(manifest, ChannelPointer.TrustedComment(channel, version.Text, manifestKey)),
            };
            var request = new PutObjectRequest
            {
                BucketName = target.Bucket,
                Key = key,
                ContentBody = pointer.ToJson(),
                ContentType = "application/json",
                DisablePayloadSigning = true,
                DisableDefaultChecksumValidation = true,
            };
            if (etag is null)
                request.IfNoneMatch = "*";
            else
                request.IfMatch = etag;
            try
            {
                await s3.PutObjectAsync(request, cancellationToken);
                Log.Information("Channel {Channel} now names {Version} ({Key})", channel, version.Text, key);
                return true;
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed && attempt < 3)
            {
                Log.Warning("Channel {Channel} was moved by someone else while this release read it; reading it again", channel);
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                throw new ReleaseException($"Channel {channel} ({key}) keeps being moved by another release: it was left as that release wrote it. Check who else publishes, then move it with Promote", exception);
            }
        }
    }

    /// <summary>The pointer and its ETag; (null, null) when the channel has none yet.</summary>
    public async Task<(ChannelPointer? Pointer, string? ETag)> ReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(target.Bucket, key, cancellationToken);
            using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
            var json = await reader.ReadToEndAsync(cancellationToken);
            return (ChannelPointer.FromJson(json) ?? throw new ReleaseException($"{key} in bucket {target.Bucket} is not a channel pointer: fix or delete it, then release again"), response.ETag);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }
    }
}
