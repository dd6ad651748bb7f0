using ReleaseKit.Signing;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Packaging;

public sealed record PackageResult(string Tarball, string ChecksumFile, long Size, string Sha256);

/// <summary>
/// artifacts/&lt;AppName&gt;-&lt;Version&gt;.tgz and its .sha256, written under temporary names and
/// renamed only when complete, so an interrupted or failed run leaves no artifact behind.
/// </summary>
public static class Packager
{
    /// <param name="allowAdHoc">An ad-hoc signed bundle is packaged only when ad-hoc signing was asked for.</param>
    public static async Task<PackageResult> PackageAsync(
        string bundle, string appName, string version, string artifacts, DateTimeOffset time, bool allowAdHoc, CancellationToken cancellationToken)
    {
        EnsureSigned(bundle, allowAdHoc);
        Directory.CreateDirectory(artifacts);
        var tarball = Path.Combine(artifacts, $"{appName}-{version}.tgz");
        var checksum = tarball + ".sha256";
        var temporary = $"{tarball}.tmp-{Environment.ProcessId}";
        File.Delete(tarball);
        File.Delete(checksum);
        Log.Information("Packaging {Bundle} into {Tarball}", bundle, tarball);

        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            int entries;
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                await using var gzip = new ParallelGzipStream(file);
                entries = await Task.Factory.StartNew(() => DeterministicTar.Write(bundle, appName, gzip, time, cancellationToken),
                    cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                gzip.Finish();
            }

            var sha256 = await FileHash.Sha256Async(temporary, cancellationToken);

            await File.WriteAllTextAsync(checksum + ".tmp", $"{sha256}  {Path.GetFileName(tarball)}\n", cancellationToken);
            File.Move(temporary, tarball);
            File.Move(checksum + ".tmp", checksum);

            var size = new FileInfo(tarball).Length;
            Log.Information("Packaged {Entries} entries into {Tarball} ({Size}, sha256 {Sha256}) in {Elapsed:0.0}s",
                entries, tarball, ByteSize.Format(size), sha256, started.Elapsed.TotalSeconds);
            return new PackageResult(tarball, checksum, size, sha256);
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(checksum + ".tmp");
        }
    }

    private static void EnsureSigned(string bundle, bool allowAdHoc)
    {
        if (!Directory.Exists(bundle))
            throw new ReleaseException($"There is no bundle at {bundle} to package: run Bundle and Sign first");

        var record = SignatureRecord.Read(bundle)
            ?? throw new ReleaseException($"The bundle {bundle} is not signed: run Sign before Package (use SIGN_ID=- with --skip-notarize for a local ad-hoc build)");
        if (record.Fingerprint != SignatureRecord.FingerprintOf(bundle))
            throw new ReleaseException($"The bundle {bundle} changed after it was signed: run Sign again before Package");
        if (record.AdHoc && !allowAdHoc)
            throw new ReleaseException($"The bundle {bundle} is only ad-hoc signed: sign it with a Developer ID (SIGN_ID), or ask for an ad-hoc package with SIGN_ID=-");
    }
}
