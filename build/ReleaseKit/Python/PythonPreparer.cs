using ReleaseKit.MachO;
using ReleaseKit.Signing;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Python;

/// <summary>
/// Makes a downloaded Python runnable on the build Mac: Gatekeeper blocks quarantined files,
/// and python-build-standalone's arm64 binaries carry only the linker's ad-hoc signature.
/// </summary>
public sealed class PythonPreparer(ToolRunner runner)
{
    private const string Quarantine = "com.apple.quarantine";
    private const int FilesPerCodesignCall = 64;

    /// <returns>How many files are still quarantined afterwards.</returns>
    public async Task<int> PrepareAsync(PythonInstallation python, SigningIdentity? identity, CancellationToken cancellationToken)
    {
        var cleared = await runner.RunAsync(new ToolCommand("xattr", "-dr", Quarantine, python.Directory) { ThrowOnFailure = false }, cancellationToken);
        if (!cleared.Succeeded)
            Log.Warning("xattr -dr {Attribute} exited with {ExitCode}: {Error}", Quarantine, cleared.ExitCode, cleared.StandardError.Trim());

        var machO = MachOScanner.Find(python.Directory);
        var name = (identity ?? SigningIdentity.AdHoc).Name;
        foreach (var batch in machO.Chunk(FilesPerCodesignCall))
            await runner.RunAsync(new ToolCommand("codesign", ["--force", "--sign", name, .. batch]), cancellationToken);

        var listing = await runner.RunAsync(new ToolCommand("xattr", "-lr", python.Directory) { ThrowOnFailure = false }, cancellationToken);
        var quarantined = listing.StandardOutput.Split('\n')
            .Where(line => line.Contains(": " + Quarantine + ":", StringComparison.Ordinal))
            .Select(line => line[..line.IndexOf(": " + Quarantine + ":", StringComparison.Ordinal)])
            .Distinct()
            .Count();

        Log.Information("Prepared {Python}: quarantine cleared, {Count} Mach-O files pre-signed with {Identity}, {Quarantined} still quarantined",
            python.Directory, machO.Count, name, quarantined);
        if (quarantined > 0)
            Log.Warning("{Quarantined} files under {Python} are still quarantined: run xattr -dr com.apple.quarantine on it by hand", quarantined, python.Directory);
        return quarantined;
    }
}
