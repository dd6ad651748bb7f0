using ReleaseKit.MachO;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Python;

/// <summary>
/// Makes a downloaded Python runnable on the build Mac: Gatekeeper blocks quarantined files,
/// and python-build-standalone's arm64 binaries carry only the linker's ad-hoc signature.
/// </summary>
public sealed class PythonPreparer(ToolRunner runner)
{
    private const string Quarantine = Xattr.Quarantine;
    private const int FilesPerCodesignCall = 64;

    public int MaxAttempts { get; init; } = 4;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <returns>How many files are still quarantined afterwards.</returns>
    public async Task<int> PrepareAsync(PythonInstallation python, SigningIdentity? identity, CancellationToken cancellationToken)
    {
        var cleared = await new Xattr(runner).DeleteRecursiveAsync(Quarantine, python.Directory, cancellationToken);
        if (!cleared.Succeeded)
            Log.Warning("xattr -dr {Attribute} exited with {ExitCode}: {Error}", Quarantine, cleared.ExitCode, cleared.StandardError.Trim());

        var signing = identity ?? SigningIdentity.AdHoc;
        var name = signing.Name;
        var files = HardLinks.Group(MachOScanner.Find(python.Directory));
        IReadOnlyDictionary<string, string> failures;
        try
        {
            // Sign's retry of timestamp outages: codesign asks Apple's timestamp server for a Developer ID by default.
            failures = await new Codesign(runner) { MaxAttempts = MaxAttempts, FirstRetryDelay = FirstRetryDelay }.SignAsync(files.Select(x => x[0]).ToArray(),
                batch => Codesign.Arguments(signing, null, hardenedRuntime: false, batch), FilesPerCodesignCall, parallelism: 1, signed: null, cancellationToken);
        }
        finally
        {
            HardLinks.Restore(files);
        }

        if (failures.Count > 0)
            throw new ReleaseException($"codesign could not pre-sign {failures.Count} file(s) of {python.Directory} with {name}, so it cannot run here: " +
                string.Join("; ", failures.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{Path.GetRelativePath(python.Directory, x.Key)}: {x.Value}")));

        var listing = await new Xattr(runner).ListRecursiveAsync(python.Directory, cancellationToken);
        var quarantined = listing.StandardOutput.Split('\n')
            .Where(line => line.Contains(": " + Quarantine + ":", StringComparison.Ordinal))
            .Select(line => line[..line.IndexOf(": " + Quarantine + ":", StringComparison.Ordinal)])
            .Distinct()
            .Count();

        Log.Information("Prepared {Python}: quarantine cleared, {Count} Mach-O files pre-signed with {Identity}, {Quarantined} still quarantined",
            python.Directory, files.Count, name, quarantined);
        if (quarantined > 0)
            Log.Warning("{Quarantined} files under {Python} are still quarantined: run xattr -dr com.apple.quarantine on it by hand", quarantined, python.Directory);
        return quarantined;
    }
}
