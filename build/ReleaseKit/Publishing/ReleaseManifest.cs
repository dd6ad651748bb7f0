using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseKit.Publishing;

/// <summary>manifest.json for the in-app updater, uploaded last so it never names a file that is not there yet.</summary>
public sealed record ReleaseManifest(
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("created")] DateTimeOffset Created)
{
    /// <summary>The CycloneDX SBOM uploaded beside the tarball, when there is one.</summary>
    [JsonPropertyName("sbom"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sbom { get; init; }

    /// <summary>The tarball's minisign signature (the whole .minisig text), so an updater needs only this file and the tarball.</summary>
    [JsonPropertyName("signature"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Signature { get; init; }

    /// <summary>The id of the minisign key that made <see cref="Signature"/>, as `minisign -G` prints it.</summary>
    [JsonPropertyName("keyId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyId { get; init; }

    /// <summary>Its name beside the tarball and in the release's folder of the bucket, where the updater looks.</summary>
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";
}
