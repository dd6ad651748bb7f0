using ReleaseKit.Bundling;
using ReleaseKit.Inventory;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Packaging;

/// <summary>What Package wrote, and the minisign key id it signed the update with (null: unsigned).</summary>
public sealed record PackageStageResult(PackageResult Package, string? UpdateKeyId);

/// <summary>
/// The Package stage: the tarball, its .sha256, the CycloneDX SBOM and, with an update key, its
/// minisign signature, written together or not at all.
/// </summary>
public static class PackageStage
{
    /// <param name="allowAdHoc">An ad-hoc signed bundle is packaged only when ad-hoc signing was asked for.</param>
    /// <param name="python">CPython as the SBOM names it.</param>
    public static async Task<PackageStageResult> RunAsync(BundleLayout bundle, PackageOptions options, string version, string artifacts, bool allowAdHoc,
        BundledPython python, CancellationToken cancellationToken)
    {
        var appName = bundle.AppName;
        bundle.RequireLauncher("Package");
        // Everything the SBOM reads is read before the tarball is written, so a bundle it cannot describe stops Package with no artifact at all.
        var distributions = PythonDistributions.Read(bundle.Sites);
        var launcherSha256 = await FileHash.Sha256Async(bundle.Launcher, cancellationToken);
        var tarballName = Packager.TarballName(appName, version);
        var sbom = SoftwareBillOfMaterials.Beside(Path.Combine(artifacts, tarballName));
        var signature = Path.Combine(artifacts, tarballName + UpdateSignature.Extension);
        List<Companion> companions = [new(sbom, (_, sha256) => SoftwareBillOfMaterials.Create(appName, version, tarballName, sha256, options.Time, python, distributions, launcherSha256))];
        if (options.UpdateKey is { } key)
            companions.Add(new(signature, (tarball, sha256) => UpdateSignature.Sign(key, tarball, tarballName, version, sha256, options.Time)));
        else if (File.Exists(signature))
            // A signature of an earlier tarball must never sit beside a new one.
            File.Delete(signature);

        var package = await Packager.PackageAsync(bundle.Folder, appName, version, artifacts, options.Time, allowAdHoc, cancellationToken, options.GzipLevel, companions);
        Log.Information("Wrote the CycloneDX SBOM {Sbom}", sbom);
        if (options.UpdateKey is { } signer)
            Log.Information("Signed the update with minisign key {KeyId}: {Signature}", signer.Id, signature);
        else
            Log.Information("UPDATE_SIGNING_KEY is not set: {Tarball} is an unsigned update", tarballName);
        return new PackageStageResult(package, options.UpdateKey?.Id);
    }
}
