using System.Text.RegularExpressions;
using ReleaseKit.Inventory;

namespace ReleaseKit.Python;

/// <summary>CPython as the SBOM names it, from what FetchPython knows or left in its cache.</summary>
public static partial class CpythonIdentity
{
    /// <summary>
    /// The full version, build release and archive hash come from the python-build-standalone
    /// asset (cpython-3.12.12+20251014-…), as FetchPython downloaded it in this run or finds it in
    /// its cache; otherwise the version of the bundle's python (PyInstaller's has none: "3").
    /// </summary>
    /// <param name="fetched">The python FetchPython resolved in this run, or null when it did not run.</param>
    /// <param name="download">--cpython-url, when set.</param>
    /// <param name="bundledVersion">The version of the bundle's python/lib/python3.X.</param>
    public static BundledPython Describe(PythonInstallation? fetched, Uri? download, string cacheFolder, string? bundledVersion)
    {
        var url = fetched?.ArchiveUrl ?? download?.AbsoluteUri;
        var asset = url is null ? null : ReleaseChecksums.AssetName(new Uri(url));
        var match = asset is null ? null : AssetPattern().Match(asset);
        var sha256 = fetched?.ArchiveSha256 ?? (asset is not null && CpythonArchiveCache.Find(cacheFolder, asset) is { } cached ? CpythonArchiveCache.Sha256Of(cached) : null);
        return match is { Success: true }
            ? new BundledPython(match.Groups["version"].Value, match.Groups["release"].Value, url, sha256)
            : new BundledPython(fetched?.Version ?? bundledVersion ?? "3", null, url, sha256);
    }

    [GeneratedRegex(@"^cpython-(?<version>[0-9.]+)\+(?<release>[0-9]+)-")]
    private static partial Regex AssetPattern();
}
