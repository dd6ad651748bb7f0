using System.Text.RegularExpressions;
using ReleaseKit.Tooling;

namespace ReleaseKit.Python;

/// <summary>
/// python-build-standalone publishes one SHA256SUMS file per release (per-asset .sha256 files
/// were dropped in July 2025): https://.../releases/download/&lt;TAG&gt;/SHA256SUMS.
/// </summary>
public static partial class ReleaseChecksums
{
    /// <summary>The SHA256SUMS next to a GitHub release asset, or null for any other kind of URL.</summary>
    public static Uri? SumsUrlFor(Uri asset)
    {
        var match = ReleaseAssetPath().Match(asset.AbsolutePath);
        return match.Success ? new Uri(asset, match.Groups["release"].Value + "SHA256SUMS") : null;
    }

    /// <summary>The asset's file name as SHA256SUMS lists it ('+' arrives as %2B in URLs).</summary>
    /// <remarks>The name becomes a file in the download cache: one that decodes to a path ("..%2F..") is refused.</remarks>
    public static string AssetName(Uri asset) =>
        ProblemWithAssetName(asset) is { } problem ? throw new ReleaseException(problem) : Uri.UnescapeDataString(Path.GetFileName(asset.AbsolutePath));

    /// <summary>Why the URL names no archive file, or null when it does.</summary>
    public static string? ProblemWithAssetName(Uri asset)
    {
        var name = Uri.UnescapeDataString(Path.GetFileName(asset.AbsolutePath));
        return name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0 || name.Any(char.IsControl)
            ? $"{asset} does not end in an archive file name (it decodes to '{name}'): give the URL of the .tar.gz or .tar.zst itself"
            : null;
    }

    /// <summary>Reads sha256sum output: "&lt;hex&gt;  &lt;name&gt;" or "&lt;hex&gt; *&lt;name&gt;" per line.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var match = SumsLine().Match(line.TrimEnd('\r'));
            if (match.Success)
                sums[match.Groups["name"].Value] = match.Groups["hash"].Value.ToLowerInvariant();
        }

        return sums;
    }

    [GeneratedRegex("^(?<release>.*/releases/download/[^/]+/)cpython-[^/]+$")]
    private static partial Regex ReleaseAssetPath();

    [GeneratedRegex(@"^(?<hash>[0-9a-fA-F]{64}) [ *](?<name>.+)$")]
    private static partial Regex SumsLine();
}
