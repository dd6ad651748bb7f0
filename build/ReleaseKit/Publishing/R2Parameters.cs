namespace ReleaseKit.Publishing;

/// <summary>Where Upload puts the release in Cloudflare R2, as typed (--r2-bucket, --r2-path, ...).</summary>
public sealed record R2Parameters
{
    public string? R2AccessKeyId { get; init; }
    public string? R2SecretAccessKey { get; init; }
    public string? R2Bucket { get; init; }
    public string? R2Endpoint { get; init; }
    public string? R2Path { get; init; }
    public bool ForceUpload { get; init; }

    /// <summary>The release channel Upload moves to this version; null: stable for a final version, beta for a pre-release.</summary>
    public string? Channel { get; init; }

    /// <summary>Move the channel even to an older version than it names.</summary>
    public bool ForceChannel { get; init; }

    /// <summary>The four settings an upload needs, by parameter name.</summary>
    public IReadOnlyList<(string Name, string? Value)> Required =>
    [
        (nameof(R2AccessKeyId), R2AccessKeyId),
        (nameof(R2SecretAccessKey), R2SecretAccessKey),
        (nameof(R2Bucket), R2Bucket),
        (nameof(R2Endpoint), R2Endpoint),
    ];

    /// <summary>
    /// With no R2 setting at all, a Release simply does not upload; with some, missing ones are an
    /// error. A key prefix alone counts: it says an upload was meant, and ignoring it would not.
    /// </summary>
    public bool HasAny => Required.Any(x => Settings.SettingText.IsSet(x.Value)) || Settings.SettingText.IsSet(R2Path);

    private bool PrintMembers(System.Text.StringBuilder builder) =>
        Tooling.Redacted.PrintMembers(this, builder, nameof(R2SecretAccessKey), nameof(Required));
}
