using ReleaseKit.Signing;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Packaging;

/// <param name="Signed">The signature record the tarball's contents were compared with.</param>
public sealed record PackageResult(string Tarball, string ChecksumFile, long Size, string Sha256, SignatureRecord Signed);

/// <summary>A file written beside the tarball from what Package learnt (the SBOM, the update signature), in the same all-or-nothing step.</summary>
/// <param name="Content">Given the finished tarball (still under its temporary name) and its SHA-256.</param>
public sealed record Companion(string Path, Func<string, string, string> Content);

/// <summary>
/// artifacts/&lt;AppName&gt;-&lt;Version&gt;.tgz, its .sha256 and its companions (the SBOM), all
/// written under temporary names and renamed only when every one is complete, so an interrupted or
/// failed run leaves none of them behind, and never a set that mixes two runs.
/// </summary>
public static class Packager
{
    public static string TarballName(string appName, string version) => $"{appName}-{version}.tgz";

    /// <param name="allowAdHoc">An ad-hoc signed bundle is packaged only when ad-hoc signing was asked for.</param>
    public static async Task<PackageResult> PackageAsync(
        string bundle, string appName, string version, string artifacts, DateTimeOffset time, bool allowAdHoc, CancellationToken cancellationToken, int? gzipLevel = null,
        IReadOnlyList<Companion>? companions = null)
    {
        var record = EnsureSigned(bundle, allowAdHoc);
        companions ??= [];
        Directory.CreateDirectory(artifacts);
        var tarball = Path.Combine(artifacts, TarballName(appName, version));
        var checksum = ChecksumFile.Of(tarball);
        var temporary = $"{tarball}.tmp-{Environment.ProcessId}";
        RemoveStale(tarball);
        File.Delete(tarball);
        File.Delete(checksum);
        foreach (var companion in companions)
            File.Delete(companion.Path);
        string Pending(string path) => $"{path}.tmp-{Environment.ProcessId}";
        Log.Information("Packaging {Bundle} into {Tarball}", bundle, tarball);

        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            int entries;
            await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                await using var gzip = new ParallelGzipStream(file, gzipLevel);
                // Each file is compared with what Sign hashed while it is read into the tarball: no second pass.
                entries = await Task.Factory.StartNew(() => DeterministicTar.Write(bundle, appName, gzip, time, cancellationToken, record.ContentProblem),
                    cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                gzip.Finish();
            }

            var sha256 = await FileHash.Sha256Async(temporary, cancellationToken);

            await File.WriteAllTextAsync(Pending(checksum), ChecksumFile.Content(sha256, Path.GetFileName(tarball)), cancellationToken);
            foreach (var companion in companions)
                await File.WriteAllTextAsync(Pending(companion.Path), companion.Content(temporary, sha256), cancellationToken);
            Commit([(temporary, tarball), (Pending(checksum), checksum), .. companions.Select(x => (Pending(x.Path), x.Path))]);

            var size = new FileInfo(tarball).Length;
            Log.Information("Packaged {Entries} entries into {Tarball} ({Size}, sha256 {Sha256}) in {Elapsed:0.0}s",
                entries, tarball, ByteSize.Format(size), sha256, started.Elapsed.TotalSeconds);
            return new PackageResult(tarball, checksum, size, sha256, record);
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(Pending(checksum));
            foreach (var companion in companions)
                File.Delete(Pending(companion.Path));
        }
    }

    /// <summary>Renames every file into place, or takes back the ones already renamed.</summary>
    private static void Commit(IReadOnlyList<(string From, string To)> moves)
    {
        var done = new List<string>();
        try
        {
            foreach (var (from, to) in moves)
            {
                File.Move(from, to);
                done.Add(to);
            }
        }
        catch
        {
            done.ForEach(File.Delete);
            throw;
        }
    }

    private static SignatureRecord EnsureSigned(string bundle, bool allowAdHoc)
    {
        var record = SignatureRecord.Require(bundle, "Package");
        if (record.AdHoc && !allowAdHoc)
            throw new ReleaseException($"The bundle {bundle} is only ad-hoc signed: sign it with a Developer ID (SIGN_ID), or ask for an ad-hoc package with SIGN_ID=-");
        return record;
    }

    /// <summary>
    /// Temporary tarballs of runs that were killed (their finally never ran). Only those whose
    /// process is gone: a Package running right now in another shell keeps its file.
    /// </summary>
    private static void RemoveStale(string tarball)
    {
        var directory = Path.GetDirectoryName(tarball)!;
        foreach (var stale in Directory.EnumerateFiles(directory, Path.GetFileName(tarball) + ".tmp-*"))
        {
            if (int.TryParse(stale[(stale.LastIndexOf('-') + 1)..], out var process) && process != Environment.ProcessId && IsRunning(process))
                continue;
            File.Delete(stale);
            Log.Information("Removed {Stale}, left by a Package that did not finish", stale);
        }
    }

    private static bool IsRunning(int process)
    {
        try
        {
            using var running = System.Diagnostics.Process.GetProcessById(process);
            return !running.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
