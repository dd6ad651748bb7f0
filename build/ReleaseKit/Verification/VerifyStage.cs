using ReleaseKit.MachO;
using ReleaseKit.Packaging;
using ReleaseKit.Publishing;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Verification;

/// <summary>
/// The Verify stage: a local tarball, or the release as users download it (--from-r2,
/// --release-url) checked against the update key first; then every check on the tarball.
/// </summary>
/// <param name="onMacOS">Gatekeeper and codesign checks need macOS's spctl, codesign and xattr.</param>
/// <param name="workFolder">Where downloads and the extracted bundle go, each in a folder it removes.</param>
public sealed class VerifyStage(ToolRunner runner, VerifyOptions options, string appName, string version, OsVersion minimumMacOs, bool onMacOS, string workFolder,
    Amazon.Runtime.HttpClientFactory? httpClientFactory = null)
{
    /// <param name="tarball">The tarball when not --artifact: artifacts/&lt;AppName&gt;-&lt;Version&gt;.tgz.</param>
    /// <param name="packaged">What Package wrote in this run, with the record of what Sign hashed; null when it did not run.</param>
    public async Task RunAsync(string tarball, PackageResult? packaged, CancellationToken cancellationToken)
    {
        if (options.Published is { } published)
            await VerifyPublishedAsync(published, cancellationToken);
        else
            await VerifyTarballAsync(options.Artifact ?? tarball, packaged, cancellationToken);
    }

    /// <summary>Verify --from-r2 / --release-url, and Promote's check: the release as users download it, then every local check on what arrived.</summary>
    public async Task VerifyPublishedAsync(PublishedRelease published, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(workFolder, $"verify-download-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        using var http = HttpDownloader.CreateClient();
        using var s3 = published.Bucket is { } bucket ? R2Client.Create(bucket.Target, httpClientFactory) : null;
        try
        {
            var prefix = published.Bucket?.KeyPrefix(version) ?? R2Options.DefaultKeyPrefix(version);
            IReleaseSource source = s3 is not null ? new BucketSource(s3, published.Bucket!.Target.Bucket) : new UrlSource(new HttpDownloader(http), published.Url!);
            var (checks, tarball) = await DownloadedRelease.FetchAsync(source, prefix, folder, published.PublicKey, cancellationToken);
            var failures = VerifyCheck.Report(checks).Where(x => x.Fails).ToArray();
            if (failures.Length > 0 || tarball is null)
                throw new ReleaseException($"The published release {version} is not what was signed: {VerifyCheck.Describe(failures)}");
            await VerifyTarballAsync(tarball, null, cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task VerifyTarballAsync(string tarball, PackageResult? packaged, CancellationToken cancellationToken)
    {
        // Only for the tarball this run packaged: the bundle on disk may belong to another version.
        var signed = packaged is { } known && Path.GetFullPath(known.Tarball) == Path.GetFullPath(tarball) ? known.Signed : null;
        var checks = await new ReleaseVerifier(runner, onMacOS, options.Mode, libraryValidation: options.LibraryValidation, options.PreflightJson, workFolder)
            {
                Signed = signed, MinimumMacOs = minimumMacOs,
            }
            .VerifyAsync(tarball, appName, cancellationToken);
        var failures = checks.Where(x => x.Fails).ToArray();
        if (failures.Length > 0)
            throw new ReleaseException($"Verify found {failures.Length} problem(s) in {tarball}: {VerifyCheck.Describe(failures)}");
        Log.Information("Verified {Tarball}: {Count} checks passed", tarball, checks.Count(x => x.Passed));
    }
}
