using ReleaseKit.Bundling;
using ReleaseKit.Notarization;
using ReleaseKit.Packaging;
using ReleaseKit.Publishing;
using ReleaseKit.Python;
using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tooling;
using ReleaseKit.Verification;
using Serilog;

namespace ReleaseKit;

/// <summary>
/// The release's stages in the order they run, one entry point per NUKE target: each takes its
/// stage's parsed options and what the stages before it produced (<see cref="Results"/>), calls
/// into the stage's folder, and records what it produced. The host makes exactly one call per
/// target; tests drive the same calls.
/// </summary>
public sealed class ReleasePipeline
{
    private readonly Lazy<ReleaseOptions> _options;

    public ReleasePipeline(ReleaseSettings settings, ToolRunner? runner = null, CancellationToken cancellation = default)
    {
        Runner = runner ?? new ToolRunner();
        Cancellation = cancellation;
        // After the object initializer, which may say where this runs.
        _options = new Lazy<ReleaseOptions>(() => new ReleaseOptions(settings, Environment, PrepareOnMacOS, VerifyOnMacOS));

        // Before anything runs or logs: NUKE's [Secret] only encrypts parameter files and redacts nothing.
        foreach (var secret in settings.Secrets)
            Runner.Masker.Register(secret);
    }

    /// <summary>Each stage's options, parsed once.</summary>
    public ReleaseOptions Options => _options.Value;

    /// <summary>What each stage produced in this run.</summary>
    public ReleaseResults Results { get; } = new();

    public ReleaseLayout Layout => new(Options.RootDirectory, Options.AppName);

    public ToolRunner Runner { get; }

    public CancellationToken Cancellation { get; }

    public ReleaseVersion Version => Options.Version.Require();

    /// <summary>The bundle Bundle built in this run, or else the one of the chosen variant on disk.</summary>
    private BundleLayout CurrentBundle => Results.Bundle?.Layout ?? Layout.Bundle(Options.Variant);

    private OsVersion MinimumMacOs => Options.MacOsMinimum.Require();

    // Seams: where this runs and what it may reach; tests give their own.

    /// <summary>Where SOURCE_DATE_EPOCH and the like are read.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Lets tests trust their local S3 server's certificate; null means the system's trust store.</summary>
    public Amazon.Runtime.HttpClientFactory? S3HttpClientFactory { get; init; }

    /// <summary>Gatekeeper and codesign checks need macOS's spctl, codesign and xattr.</summary>
    public bool VerifyOnMacOS { get; init; } = OperatingSystem.IsMacOS();

    /// <summary>Clearing quarantine and pre-signing need macOS's xattr and codesign.</summary>
    public bool PrepareOnMacOS { get; init; } = OperatingSystem.IsMacOS();

    /// <summary>Where Notarize zips the bundle and Verify extracts the tarball, each in a folder it removes.</summary>
    public string WorkDirectory { get; init; } = Path.GetTempPath();

    /// <summary>Where the temporary keychain goes; null means RUNNER_TEMP or the system's temp folder.</summary>
    public string? KeychainDirectory { get; init; }

    /// <summary>Runs first: every problem with the settings for the scheduled stages, in one error.</summary>
    public void CheckSettings(ReleaseStage stages, bool uploadRequested)
    {
        new SettingsCheck(Options, Runner.Locator).EnsureValid(stages, uploadRequested);
        // NUKE leaves a statically skipped Notarize out of the scheduled stages, so ask whether anything gets signed.
        if (Options.SkipNotarize && (stages & (ReleaseStage.Sign | ReleaseStage.Package)) != 0)
            Log.Warning("--skip-notarize: this run will NOT notarize; the result is for local testing, and Gatekeeper will block it on other Macs");
        if ((stages & ~(ReleaseStage.Verify | ReleaseStage.ImportCertificate | ReleaseStage.Promote)) != ReleaseStage.None)
            Log.Information("Releasing {AppName} {Version} (version from {Source}), variant {Variant}",
                Options.AppName, Version.Value, Version.Source, Options.Variant.Name());
        else if (stages.HasFlag(ReleaseStage.Verify))
            Log.Information("Verifying {AppName} {Version} (version from {Source})", Options.AppName, Version.Value, Version.Source);
        else if (stages.HasFlag(ReleaseStage.Promote))
            Log.Information("Promoting {AppName} {Version} (version from {Source})", Options.AppName, Version.Value, Version.Source);
    }

    public void Clean()
    {
        foreach (var directory in Layout.Outputs.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
            Log.Information("Removed {Directory}", directory);
        }
    }

    /// <summary>Imports MACOS_CERT_P12 into a temporary keychain for Sign (CI); CleanupKeychain removes it.</summary>
    public async Task ImportCertificateAsync()
    {
        if (Options.Certificate.Require().Import is not { } import)
        {
            Log.Information("MACOS_CERT_P12 is not set: signing uses the identities already in the keychain");
            return;
        }

        await Keychain.ImportAsync(import, Cancellation);
    }

    // Entry points return a plain Task: with Task<T>, NUKE's Executes<T>(Func<T>) overload would
    // be chosen and the task never awaited.
    public async Task FetchPythonAsync() => Results.Python = await ResolvePythonAsync();

    private Task<PythonInstallation> ResolvePythonAsync() =>
        new PythonStage(Runner, Layout.RootDirectory, Layout.CpythonCache, PrepareOnMacOS).RunAsync(Options.Python.Require(), Options.Identity, Cancellation);

    public async Task BundleAsync()
    {
        var options = Options.Bundle.Require();
        var python = Results.Python ??= await ResolvePythonAsync();
        var project = new BundleProject(Options.AppName, Version.Value, MinimumMacOs, Layout.LauncherSource, Layout.License, Layout.TemporaryDirectory);
        var result = await new BundleStage(Runner).RunAsync(options, python, Layout.Bundle(options.Variant), project, Cancellation);
        (Results.Bundle, Results.LicenseReview) = (result.Bundle, result.LicenseReview);
    }

    public async Task SignAsync()
    {
        var record = await new SignStage(Runner).RunAsync(CurrentBundle, Options.Signing.Require(), MinimumMacOs, Layout.TemporaryDirectory, Cancellation);
        Results.SignedFiles = record.Files;
    }

    public async Task NotarizeAsync()
    {
        if (Options.SkipNotarize)
        {
            Log.Warning("Notarization skipped (--skip-notarize): this release is NOT notarized, and Gatekeeper will block it on other Macs");
            return;
        }

        Results.Notarization = await new NotarizeStage(Runner, WorkDirectory)
            .RunAsync(CurrentBundle, Options.Notary.Require(), Version.Value, Layout.ArtifactsDirectory, MinimumMacOs, Cancellation);
    }

    public async Task PackageAsync()
    {
        var bundle = CurrentBundle;
        var python = CpythonIdentity.Describe(Results.Python, Options.Python.ValueOrNull?.Download, Layout.CpythonCache, bundle.PythonVersion);
        var result = await PackageStage.RunAsync(bundle, Options.Package.Require(), Version.Value, Layout.ArtifactsDirectory,
            allowAdHoc: Options.Identity is { IsAdHoc: true }, python, Cancellation);
        (Results.Package, Results.UpdateKeyId) = (result.Package, result.UpdateKeyId);
    }

    public async Task UploadAsync()
    {
        var result = await Uploader(Options.Upload.Require()).RunAsync(Results.Package?.Tarball ?? Layout.Tarball(Version.Value), Cancellation);
        (Results.Uploaded, Results.Channel) = (result.Uploaded, result.Channel);
    }

    public async Task VerifyAsync() =>
        await Verifier(Options.Verify.Require()).RunAsync(Layout.Tarball(Version.Value), Results.Package, Cancellation);

    /// <summary>
    /// Moves a channel to a release already in the bucket (Promote --version V --channel C), once
    /// the release verifies as users download it: a channel never names what fails Verify.
    /// </summary>
    public async Task PromoteAsync()
    {
        var options = Options.Promote.Require();
        await Verifier(Options.Verify.Require()).VerifyPublishedAsync(new PublishedRelease(options.Bucket, null, options.PublicKey), Cancellation);
        Results.Channel = await Uploader(options.Bucket).PromoteAsync(Cancellation);
    }

    /// <summary>Removes what ImportCertificate added, also after a failed or interrupted run; nothing to do otherwise.</summary>
    public Task CleanupKeychainAsync() => Keychain.CleanupAsync();

    /// <summary>The end of a Release: what was built and where it went, as a one-row table.</summary>
    public void WriteSummary()
    {
        var tarball = Results.Package?.Tarball ?? Layout.Tarball(Version.Value);
        var notarization = Results.Notarization is { } result ? $"{result.Status} ({result.Id})" : Options.SkipNotarize ? "not notarized" : "not run";
        Summary = new ReleaseSummary(Version.Value, Options.Variant.Name(), Results.SignedFiles, notarization,
            Path.GetRelativePath(Layout.RootDirectory, tarball), Results.Package?.Size, Results.Package?.Sha256, Results.Uploaded.Select(x => x.Url).ToArray())
        {
            LicenseReview = Results.LicenseReview.Select(x => x.ToString()).ToArray(),
            UpdateKeyId = Results.UpdateKeyId,
            Channel = Results.Channel,
        };
        Log.Information("Release {AppName} {Version}:\n{Table:l}", Options.AppName, Version.Value, Summary.ToTable());
    }

    /// <summary>The table WriteSummary printed.</summary>
    public ReleaseSummary? Summary { get; private set; }

    private SigningKeychain Keychain => new(Runner, Path.Combine(Layout.TemporaryDirectory, "signing-keychain.json"))
    {
        TemporaryDirectory = KeychainDirectory ?? SigningKeychain.DefaultTemporaryDirectory,
    };

    // The channel pointer is signed with the update key whenever one is given, also when Package did not run here.
    private UploadStage Uploader(R2Options bucket) =>
        new(bucket, Options.AppName, Version.Value, Options.SignsUpdates ? Options.Package.Require().UpdateKey : null, S3HttpClientFactory);

    private VerifyStage Verifier(VerifyOptions options) =>
        new(Runner, options, Options.AppName, Version.Value, MinimumMacOs, VerifyOnMacOS, WorkDirectory, S3HttpClientFactory);
}
