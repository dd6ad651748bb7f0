using ReleaseKit.Settings;

namespace ReleaseKit.Tests.EndToEnd;

/// <summary>
/// `nuke Release Verify` without NUKE: the targets in the order NUKE's plan puts them, each making
/// the one call its target makes, and skipped where its static condition skips it. The stages
/// passed to CheckSettings are NUKE's ScheduledTargets, which leave statically skipped ones out.
/// </summary>
public static class ReleaseFlow
{
    public static async Task ReleaseAndVerifyAsync(ReleasePipeline steps)
    {
        var options = steps.Options;
        var notarize = !options.SkipNotarize;
        var upload = options.UploadConfigured;
        var stages = ReleaseStage.FetchPython | ReleaseStage.Bundle | ReleaseStage.Sign | ReleaseStage.Package | ReleaseStage.Verify
                     | (notarize ? ReleaseStage.Notarize : 0) | (upload ? ReleaseStage.Upload : 0)
                     | (options.ImportsCertificate ? ReleaseStage.ImportCertificate : 0);

        steps.CheckSettings(stages, uploadRequested: false);
        try
        {
            if (options.ImportsCertificate)
                await steps.ImportCertificateAsync();
            await steps.FetchPythonAsync();
            await steps.BundleAsync();
            await steps.SignAsync();
            if (notarize)
                await steps.NotarizeAsync();
            await steps.PackageAsync();
            if (upload)
                await steps.UploadAsync();
            steps.WriteSummary();
            await steps.VerifyAsync();
        }
        finally
        {
            // CleanupKeychain: triggered by ImportCertificate, assured after a failure.
            await steps.CleanupKeychainAsync();
        }
    }
}
