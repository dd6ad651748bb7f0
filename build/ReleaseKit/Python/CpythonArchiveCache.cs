using System.Security.Cryptography;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Python;

/// <summary>
/// Downloads a CPython archive once: verified archives are kept as "&lt;sha256&gt;-&lt;asset&gt;", so a
/// second run with the same expected checksum finds it and downloads nothing.
/// </summary>
public sealed class CpythonArchiveCache(string directory, HttpDownloader downloader)
{
    /// <summary>The SHA-256 a cached archive is named by.</summary>
    public static string Sha256Of(string cachedArchive) => Path.GetFileName(cachedArchive).Split('-')[0];

    /// <summary>The verified archive of this asset already in the cache, if any.</summary>
    public static string? Find(string directory, string asset) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*-" + asset).FirstOrDefault() : null;

    public async Task<string> GetAsync(Uri url, string? expectedSha256, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var asset = ReleaseChecksums.AssetName(url);
        expectedSha256 = expectedSha256?.ToLowerInvariant() ?? await LookUpChecksumAsync(url, asset, cancellationToken);

        if (expectedSha256 is not null)
        {
            var cached = Path.Combine(directory, $"{expectedSha256}-{asset}");
            if (File.Exists(cached) && await FileHash.Sha256Async(cached, cancellationToken) == expectedSha256)
            {
                Log.Information("Using cached {Asset} (sha256 {Sha256})", asset, expectedSha256);
                return cached;
            }
        }
        else
        {
            Log.Warning("No checksum to verify {Url} against: pass --cpython-sha256 to pin it", url);
        }

        var download = Path.Combine(directory, asset + ".download");
        await downloader.DownloadAsync(url, download, cancellationToken);
        var actual = await FileHash.Sha256Async(download, cancellationToken);
        if (expectedSha256 is not null && actual != expectedSha256)
        {
            File.Delete(download);
            throw new ReleaseException($"Checksum mismatch for {url}: expected sha256 {expectedSha256}, got {actual}. The download was deleted; check --cpython-sha256 and the URL, then run again");
        }

        var verified = Path.Combine(directory, $"{actual}-{asset}");
        File.Move(download, verified, overwrite: true);
        Log.Information("Downloaded {Asset}, sha256 {Sha256} verified", asset, actual);
        return verified;
    }

    private async Task<string?> LookUpChecksumAsync(Uri url, string asset, CancellationToken cancellationToken)
    {
        if (ReleaseChecksums.SumsUrlFor(url) is not { } sumsUrl)
            return null;

        var sumsFile = Path.Combine(directory, $"SHA256SUMS-{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sumsUrl.AbsoluteUri)))[..16]}");
        await downloader.DownloadAsync(sumsUrl, sumsFile, cancellationToken);
        var sums = ReleaseChecksums.Parse(await File.ReadAllTextAsync(sumsFile, cancellationToken));
        File.Delete(sumsFile);
        return sums.TryGetValue(asset, out var sha)
            ? sha
            : throw new ReleaseException($"{sumsUrl} lists no checksum for {asset}: check the asset name, or pass --cpython-sha256");
    }

}
