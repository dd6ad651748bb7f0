using System;
using System.Linq;
using Nuke.Common;
using Nuke.Common.IO;
using ReleaseKit;
using ReleaseKit.Settings;
using ReleaseKit.Tooling;

/// <summary>
/// The release of msty-mlx-studio as NUKE targets. Each target makes one call into ReleaseKit,
/// where the logic lives and is tested; this file holds the parameters and the table of steps.
/// </summary>
partial class Build : NukeBuild
{
    public static int Main() => Execute<Build>(x => x.Release);

    [Parameter("Release version, PEP 440 (2.0.0, 2.0.0b6, 2.0.0rc1). Default: version in package.json")]
    readonly string Version;

    [Parameter("Bundle variant: external (python/ + _vendor/ + launcher, default) or pyinstaller")]
    readonly string Variant = BundleVariants.External;

    [Parameter("Use this Python (its folder or bin/python3) instead of ./python or a download")]
    readonly string EmbeddedPython;

    [Parameter("Download python-build-standalone from this URL into ./python")]
    readonly string CpythonUrl;

    [Parameter("Expected SHA-256 of the --cpython-url archive. Default: the release's SHA256SUMS")]
    readonly string CpythonSha256;

    [Parameter("Accept a Python that is not an arm64 macOS binary (a warning instead of an error), for local experiments on Linux")]
    readonly bool AllowForeignPython;

    [Parameter("Add com.apple.security.cs.disable-library-validation to the entitlements (default true; --disable-libval false to drop it)")]
    readonly bool DisableLibval = true;

    [Parameter("Skip notarization (dry run); the release summary says 'not notarized'")]
    readonly bool SkipNotarize;

    [Parameter("Extra entitlements plist merged into the generated one for the executables")]
    readonly string Entitlements;

    [Parameter("codesign identity, e.g. 'Developer ID Application: Name (TEAMID)'; '-' signs ad-hoc. Falls back to CSC_NAME")]
    readonly string SignId;

    [Parameter("How many codesign processes run at a time (each waits on Apple's timestamp server)")]
    readonly int SignParallelism = 4;

    [Parameter("Apple ID used by notarytool")]
    readonly string AppleId;

    [Parameter("Apple developer team ID used by notarytool")]
    readonly string AppleTeamId;

    [Parameter("App-specific password of the Apple ID used by notarytool"), Secret]
    readonly string AppleAppSpecificPassword;

    [Parameter("notarytool keychain profile (made with 'xcrun notarytool store-credentials'), instead of an Apple ID or API key")]
    readonly string NotaryKeychainProfile;

    [Parameter("App Store Connect API key for notarytool: the AuthKey_<KEYID>.p8 file, or its content (a CI secret)"), Secret]
    readonly string NotaryKey;

    [Parameter("Key ID of the App Store Connect API key")]
    readonly string NotaryKeyId;

    [Parameter("Issuer ID (UUID) of a team App Store Connect API key; leave unset for an individual key")]
    readonly string NotaryIssuer;

    [Parameter("How long notarytool waits for Apple's verdict: 2h, 90m or seconds")]
    readonly string NotaryTimeout = ReleaseSettings.DefaultNotaryTimeout;

    [Parameter("Wait on this earlier submission instead of uploading again (printed by a timed-out Notarize)")]
    readonly string NotarySubmissionId;

    [Parameter("Base64 of the Developer ID .p12, imported into a temporary keychain on CI"), Secret]
    readonly string MacosCertP12;

    [Parameter("Password of the MACOS_CERT_P12 certificate"), Secret]
    readonly string MacosCertPassword;

    [Parameter("Cloudflare R2 access key id; Upload runs when all R2 settings are set")]
    readonly string R2AccessKeyId;

    [Parameter("Cloudflare R2 secret access key"), Secret]
    readonly string R2SecretAccessKey;

    [Parameter("Cloudflare R2 bucket")]
    readonly string R2Bucket;

    [Parameter("Cloudflare R2 S3 endpoint, https://<ACCOUNT_ID>.r2.cloudflarestorage.com")]
    readonly string R2Endpoint;

    [Parameter("Key prefix in the bucket. Default: releases/<version>/")]
    readonly string R2Path;

    [Parameter("requirements.txt of the app's runtime dependencies (default: ./requirements.txt)")]
    readonly string Requirements;

    [Parameter("The app as a local Python project to install into the bundle (copied; --app-patches apply to the copy)")]
    readonly string AppSource;

    [Parameter("The app as a pip requirement, e.g. mlx-knife==2.0.4 (instead of --app-source)")]
    readonly string AppPackage;

    [Parameter("Folder of *.patch files applied (patch -p1) to the copy of --app-source")]
    readonly string AppPatches;

    [Parameter("A custom mlx wheel that replaces the mlx line of requirements.txt")]
    readonly string MlxWheel;

    [Parameter("A custom mlx-lm wheel that replaces the mlx-lm line of requirements.txt")]
    readonly string MlxLmWheel;

    [Parameter("Extra pip arguments, e.g. '--no-index --find-links DIR'")]
    readonly string PipArgs;

    [Parameter("Vendor by downloading macOS arm64 wheels (automatic when the bundled python cannot run on this machine)")]
    readonly bool VendorViaWheels;

    [Parameter("More packages for the version report besides mlx and mlx-lm, comma-separated")]
    readonly string ReportPackages;

    [Parameter("Replace objects that already exist in R2 (by default an existing key stops the upload)")]
    readonly bool ForceUpload;

    [Parameter("The tarball Verify checks (default: artifacts/<AppName>-<Version>.tgz)")]
    readonly string Artifact;

    [Parameter("Write the Mach-O preflight report as JSON to this file")]
    readonly string PreflightJson;

    [Parameter("Name of the bundle folder, launcher and tarball")]
    readonly string AppName = ReleaseSettings.DefaultAppName;

    [Parameter("Python module the launcher runs with -m")]
    readonly string AppModule = ReleaseSettings.DefaultAppModule;

    AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";

    ReleaseSteps _steps;

    // Built on first use, after NUKE has injected the parameters. Secrets are registered with the
    // library's masker here: NUKE's [Secret] only encrypts parameter files and redacts nothing.
    ReleaseSteps Steps => _steps ??= new ReleaseSteps(
        new ReleaseSettings
        {
            RootDirectory = RootDirectory,
            Version = Version,
            Variant = Variant,
            EmbeddedPython = EmbeddedPython,
            CpythonUrl = CpythonUrl,
            CpythonSha256 = CpythonSha256,
            AllowForeignPython = AllowForeignPython,
            DisableLibval = DisableLibval,
            SkipNotarize = SkipNotarize,
            Entitlements = Entitlements,
            SignId = SignId,
            SignParallelism = SignParallelism,
            AppleId = AppleId,
            AppleTeamId = AppleTeamId,
            AppleAppSpecificPassword = AppleAppSpecificPassword,
            NotaryKeychainProfile = NotaryKeychainProfile,
            NotaryKey = NotaryKey,
            NotaryKeyId = NotaryKeyId,
            NotaryIssuer = NotaryIssuer,
            NotaryTimeout = NotaryTimeout,
            NotarySubmissionId = NotarySubmissionId,
            MacosCertP12 = MacosCertP12,
            MacosCertPassword = MacosCertPassword,
            R2AccessKeyId = R2AccessKeyId,
            R2SecretAccessKey = R2SecretAccessKey,
            R2Bucket = R2Bucket,
            R2Endpoint = R2Endpoint,
            R2Path = R2Path,
            ForceUpload = ForceUpload,
            Artifact = Artifact,
            PreflightJson = PreflightJson,
            Requirements = Requirements,
            AppSource = AppSource,
            AppPackage = AppPackage,
            AppPatches = AppPatches,
            MlxWheel = MlxWheel,
            MlxLmWheel = MlxLmWheel,
            PipArgs = PipArgs,
            VendorViaWheels = VendorViaWheels,
            ReportPackages = ReportPackages,
            AppName = AppName,
            AppModule = AppModule,
        }.WithEnvironmentFallbacks(Environment.GetEnvironmentVariable),
        cancellation: Interruption.Token);

    Target Clean => _ => _
        .Description("Remove dist-ext-python/, dist/ and artifacts/ (./python is kept)")
        .Before(CheckSettings)
        .Executes(() => Steps.Clean());

    // Every stage depends on this, so all missing settings and tools are reported together
    // before the first download, instead of one at a time an hour into a release. Tools are
    // checked here rather than with [PathVariable]: a missing one would be a silent null there.
    Target CheckSettings => _ => _
        .Unlisted()
        .Executes(() => Steps.CheckSettings(
            ScheduledTargets.Aggregate(ReleaseStage.None, (stages, target) =>
                Enum.TryParse<ReleaseStage>(target.Name, out var stage) ? stages | stage : stages),
            uploadRequested: InvokedTargets.Any(x => x.Name == nameof(Upload))));

    Target Release => _ => _
        .Description("FetchPython, Bundle, Sign, Notarize, Package, and Upload when R2 settings are set")
        .DependsOn(Package, Upload)
        .Executes(() => Steps.WriteSummary());
}
