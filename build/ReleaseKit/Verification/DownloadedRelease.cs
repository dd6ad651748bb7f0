using System.Text.Json;
using Amazon.S3;
using ReleaseKit.Packaging;
using ReleaseKit.Publishing;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Verification;

/// <summary>Gets one object of a release into a local file.</summary>
public interface IReleaseSource
{
    /// <summary>Where the object is, for the messages (an s3:// or https:// address).</summary>
    string Describe(string key);

    Task FetchAsync(string key, string destination, CancellationToken cancellationToken);
}

/// <summary>The release as users download it: from the bucket with the R2 credentials (--from-r2).</summary>
public sealed class BucketSource(IAmazonS3 s3, string bucket) : IReleaseSource
{
    public string Describe(string key) => $"s3://{bucket}/{key}";

    public async Task FetchAsync(string key, string destination, CancellationToken cancellationToken)
    {
        await using var file = File.Create(destination);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        void Progress(long received, long total)
        {
            if (clock.Elapsed - reported < TimeSpan.FromSeconds(2))
                return;
            reported = clock.Elapsed;
            Log.Information("Downloading {Object}: {Received} of {Total}", Describe(key), ByteSize.Format(received), ByteSize.Format(total));
        }

        if (!await BucketObject.CopyToAsync(s3, bucket, key, file, Progress, cancellationToken))
            throw new ReleaseException($"{Describe(key)} does not exist: check --version and --r2-path, or upload the release first");
        Log.Information("Downloaded {Object} ({Size})", Describe(key), ByteSize.Format(file.Length));
    }
}

/// <summary>The release as users download it: over HTTPS from the public address in front of the bucket (--release-url).</summary>
public sealed class UrlSource(HttpDownloader downloader, Uri baseUrl) : IReleaseSource
{
    public string Describe(string key) => new Uri(baseUrl, key).AbsoluteUri;

    public Task FetchAsync(string key, string destination, CancellationToken cancellationToken) =>
        downloader.DownloadAsync(new Uri(baseUrl, key), destination, cancellationToken);
}

/// <summary>
/// Downloads a release (manifest.json, the tarball, its .sha256 and .minisig) and checks what an
/// updater relies on before any local check runs: the tarball's size and SHA-256 are the
/// manifest's, the .sha256 agrees, and the minisign signature verifies with the update public key
/// and its trusted comment names this file, version and SHA-256. Each problem names the object.
/// </summary>
public static class DownloadedRelease
{
    /// <returns>The checks, and the downloaded tarball when every one passed.</returns>
    public static async Task<(IReadOnlyList<VerifyCheck> Checks, string? Tarball)> FetchAsync(IReleaseSource source, string prefix, string folder, string publicKey,
        CancellationToken cancellationToken)
    {
        var checks = new List<VerifyCheck>();
        var manifestKey = prefix + ReleaseManifest.FileName;
        var manifestPath = Path.Combine(folder, ReleaseManifest.FileName);
        await source.FetchAsync(manifestKey, manifestPath, cancellationToken);
        string? file = null, sha256 = null, signature = null, version = null;
        long size = -1;
        try
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath, cancellationToken));
            var root = json.RootElement;
            file = root.GetProperty("file").GetString();
            version = root.GetProperty("version").GetString();
            size = root.GetProperty("size").GetInt64();
            sha256 = root.GetProperty("sha256").GetString();
            signature = root.TryGetProperty("signature", out var value) ? value.GetString() : null;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            checks.Add(new VerifyCheck(source.Describe(manifestKey), "manifest", false, $"not a release manifest ({exception.Message})"));
        }

        if (file is null || sha256 is null || version is null || file.Contains('/') || file.StartsWith('.'))
        {
            checks.Add(new VerifyCheck(source.Describe(manifestKey), "manifest", false, "names no tarball in its folder"));
            return (checks, null);
        }

        var tarballKey = prefix + file;
        var tarball = Path.Combine(folder, file);
        await source.FetchAsync(tarballKey, tarball, cancellationToken);
        var actualSize = new FileInfo(tarball).Length;
        var actual = await FileHash.Sha256Async(tarball, cancellationToken);
        var matches = actualSize == size && actual == sha256;
        checks.Add(new VerifyCheck(source.Describe(tarballKey), "manifest size and sha256", matches,
            matches ? actual : $"the object has {actualSize} bytes and sha256 {actual}, manifest.json says {size} and {sha256}"));

        await source.FetchAsync(ChecksumFile.Of(tarballKey), ChecksumFile.Of(tarball), cancellationToken);
        var listed = await ChecksumFile.ReadAsync(ChecksumFile.Of(tarball), cancellationToken);
        checks.Add(new VerifyCheck(source.Describe(ChecksumFile.Of(tarballKey)), "sha256", listed == actual, listed == actual ? "agrees" : $"says {listed}, the tarball has {actual}"));

        var signatureKey = tarballKey + UpdateSignature.Extension;
        await source.FetchAsync(signatureKey, tarball + UpdateSignature.Extension, cancellationToken);
        var minisig = await File.ReadAllTextAsync(tarball + UpdateSignature.Extension, cancellationToken);
        if (signature is not null && signature != minisig)
            checks.Add(new VerifyCheck(source.Describe(signatureKey), "signature", false, "differs from the signature in manifest.json"));
        await using (var stream = File.OpenRead(tarball))
        {
            var (trusted, problem) = MinisignKey.Verify(publicKey, stream, minisig);
            if (trusted is not null && !(trusted.Contains($"\tfile:{file}\t", StringComparison.Ordinal) && trusted.Contains($"\tversion:{version}\t", StringComparison.Ordinal)
                                         && trusted.EndsWith($"\tsha256:{actual}", StringComparison.Ordinal)))
                problem = $"its trusted comment '{trusted}' names another file, version or sha256";
            checks.Add(new VerifyCheck(source.Describe(signatureKey), "update signature", problem is null, problem ?? $"verifies with the update public key ({trusted})"));
        }

        return (checks, checks.All(x => x.Passed || x.ReportOnly) ? tarball : null);
    }
}
