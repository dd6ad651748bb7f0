using ReleaseKit.Bundling;
using ReleaseKit.MachO;
using ReleaseKit.Tooling;

namespace ReleaseKit.Signing;

/// <summary>
/// The Sign stage: the entitlements written for the executables, every Mach-O signed, then the
/// notarization preflight. A bundle that fails the preflight stays marked unsigned.
/// </summary>
public sealed class SignStage(ToolRunner runner)
{
    /// <param name="workFolder">Where the generated entitlements plist is written.</param>
    public async Task<SignatureRecord> RunAsync(BundleLayout bundle, SigningOptions options, OsVersion minimumMacOs, string workFolder, CancellationToken cancellationToken)
    {
        bundle.RequireLauncher("Sign");
        Directory.CreateDirectory(workFolder);
        var entitlements = Path.Combine(workFolder, "entitlements.plist");
        await File.WriteAllTextAsync(entitlements, EntitlementsPlist.Create(options.LibraryValidation, options.Entitlements), cancellationToken);

        var executables = bundle.Executables;
        var record = await new BundleSigner(runner) { Parallelism = options.Parallelism }.SignAsync(bundle.Folder, options.Identity, entitlements, executables, cancellationToken);

        var preflight = Preflight.Run(bundle.Folder, options.Identity.IsAdHoc ? PreflightMode.Local : PreflightMode.Release, options.LibraryValidation, executables, minimumMacOs);
        if (options.PreflightJson is { } json)
            await File.WriteAllTextAsync(json, preflight.ToJson(), cancellationToken);
        if (!preflight.Passed)
        {
            SignatureRecord.Remove(bundle.Folder);
            throw new ReleaseException($"The signed bundle fails the notarization preflight with {preflight.Errors} error(s) (listed above); it stays marked unsigned");
        }

        return record;
    }
}
