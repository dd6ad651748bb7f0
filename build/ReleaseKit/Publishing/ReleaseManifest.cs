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

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>The key prefix: R2Path with exactly one trailing slash, or releases/&lt;version&gt;/.</summary>
    public static string Prefix(string? r2Path, string version)
    {
        var prefix = string.IsNullOrWhiteSpace(r2Path) ? $"releases/{version}" : r2Path.Trim().TrimEnd('/');
        if (ProblemWithPrefix(prefix) is { } problem)
            throw new ReleaseException($"R2_PATH '{r2Path}' {problem}, such as releases/{version}/");
        return prefix + "/";
    }

    /// <summary>
    /// Keys become URLs in the updater's manifest: '.', '..' and empty segments would be
    /// normalised away by a browser or proxy, and '?', '#', '%' or spaces would change the URL.
    /// </summary>
    public static string? ProblemWithPrefix(string prefix)
    {
        if (prefix.StartsWith('/'))
            return "must be a relative key prefix";
        var segments = prefix.TrimEnd('/').Split('/');
        if (segments.Any(x => x is "" or "." or ".."))
            return "must not contain '.', '..' or empty segments";
        if (!segments.All(x => x.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+')))
            return "may use only letters, digits, '.', '_', '-' and '+' between slashes";
        return null;
    }
}
