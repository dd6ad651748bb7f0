using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Versioning;
using Nuke.Common;
using Nuke.Common.IO;
using ReleaseKit;
using ReleaseKit.Settings;
using ReleaseKit.Tooling;

// The release library runs on macOS and Linux only (file modes, symlinks, POSIX signals);
// build.cmd on Windows says so instead of starting the host.
[assembly: UnsupportedOSPlatform("windows")]

/// <summary>
/// The release of msty-mlx-studio as NUKE targets. Each target makes one call into ReleaseKit,
/// where the logic lives and is tested; each partial declares the parameters of its step.
/// </summary>
partial class Build : NukeBuild
{
    public static int Main() => CarryDashedValues() ?? Execute<Build>(x => x.Release);

    [Parameter("Release version, PEP 440 (2.0.0, 2.0.0b6, 2.0.0rc1). Default: version in package.json")]
    readonly string Version;

    [Parameter("Name of the bundle folder, launcher and tarball")]
    readonly string AppName = ReleaseKit.Settings.ProductName.Default;

    [Parameter("Oldest macOS the release supports: pip takes wheels for it, and no Mach-O may need a newer one. Default: 14.0 (mlx's oldest)")]
    readonly string MacosMin;

    AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";

    ReleasePipeline _pipeline;

    // Built on first use, after NUKE has injected the parameters; each stage's partial hands over
    // its own. Secrets are registered with the library's masker here: NUKE's [Secret] only
    // encrypts parameter files and redacts nothing.
    ReleasePipeline Pipeline => _pipeline ??= new ReleasePipeline(
        new ReleaseSettings
        {
            RootDirectory = RootDirectory,
            Version = Version,
            AppName = AppName,
            MacosMin = MacosMin,
            Python = PythonParameters,
            Bundle = BundleParameters,
            Certificate = CertificateParameters,
            Signing = SigningParameters,
            Notary = NotaryParameters,
            Package = PackageParameters,
            Upload = R2Parameters,
            Verify = VerifyParameters,
        }.WithEnvironmentFallbacks(Environment.GetEnvironmentVariable),
        cancellation: Interruption.Token);

    Target Clean => _ => _
        .Description("Remove dist-ext-python/, dist/ and artifacts/ (./python is kept)")
        .Before(CheckSettings)
        .Executes(() => Pipeline.Clean());

    // Every stage depends on this, so all missing settings and tools are reported together
    // before the first download, instead of one at a time an hour into a release. Tools are
    // checked here rather than with [PathVariable]: a missing one would be a silent null there.
    Target CheckSettings => _ => _
        .Unlisted()
        .Executes(() => Pipeline.CheckSettings(
            ScheduledTargets.Aggregate(ReleaseStage.None, (stages, target) => stages | StageOf(target)),
            uploadRequested: InvokedTargets.Any(x => StageOf(x) == ReleaseStage.Upload)));

    // By the target itself, not its name: NUKE's target delegates compare by method and instance,
    // so renaming a target cannot silently drop the checks of its stage.
    ReleaseStage StageOf(Nuke.Common.Execution.ExecutableTarget target) =>
        new Dictionary<Target, ReleaseStage>
        {
            [ImportCertificate] = ReleaseStage.ImportCertificate,
            [FetchPython] = ReleaseStage.FetchPython,
            [Bundle] = ReleaseStage.Bundle,
            [Sign] = ReleaseStage.Sign,
            [Notarize] = ReleaseStage.Notarize,
            [Package] = ReleaseStage.Package,
            [Upload] = ReleaseStage.Upload,
            [Verify] = ReleaseStage.Verify,
            [Promote] = ReleaseStage.Promote,
        }.GetValueOrDefault((Target)target.Factory);

    Target Release => _ => _
        .Description("FetchPython, Bundle, Sign, Notarize, Package, and Upload when R2 settings are set")
        .DependsOn(Package, Upload)
        .Executes(() => Pipeline.WriteSummary());
}
