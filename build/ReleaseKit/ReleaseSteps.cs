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
/// The library's entry points, one per NUKE target. The host builds one instance from its
/// parameters and makes exactly one call per target; tests drive the same calls.
/// </summary>
public sealed class ReleaseSteps
{
    private readonly Lazy<ReleaseVersion> _version;

    public ReleaseSteps(ReleaseSettings settings, ToolRunner? runner = null, CancellationToken cancellation = default)
    {
        Settings = settings;
        Runner = runner ?? new ToolRunner();
        Cancellation = cancellation;
        Layout = new ReleaseLayout(settings.RootDirectory, settings.AppName);
        _version = new Lazy<ReleaseVersion>(() => ReleaseVersion.Resolve(settings.Version, Layout.PackageJson));

        foreach (var secret in settings.Secrets)
            Runner.Masker.Register(secret);
    }

    public ReleaseSettings Settings { get; }

    public ToolRunner Runner { get; }

    public CancellationToken Cancellation { get; }

    public ReleaseLayout Layout { get; }

    public ReleaseVersion Version => _version.Value;

    /// <summary>The Python chosen by FetchPython, for Bundle.</summary>
    public PythonInstallation? Python { get; private set; }

    /// <summary>The bundle folder written by Bundle.</summary>
    public string? BundleDirectory { get; private set; }

    /// <summary>The bundle Bundle built in this run, or else the one of the chosen variant on disk.</summary>
    private string CurrentBundle => BundleDirectory ??
        (Settings.Bundle == BundleVariant.PyInstaller ? Layout.PyInstallerBundleDirectory : Layout.ExternalBundleDirectory);

    /// <summary>How many Mach-O files Sign signed.</summary>
    public int SignedFiles { get; private set; }

    /// <summary>Apple's verdict from Notarize; null when it was skipped or has not run.</summary>
    public NotarizationResult? Notarization { get; private set; }

    /// <summary>The tarball written by Package.</summary>
    public PackageResult? Package { get; private set; }

    /// <summary>The objects Upload put into R2.</summary>
    public IReadOnlyList<UploadedObject> Uploaded { get; private set; } = [];

    /// <summary>Lets tests trust their local S3 server's certificate; null means the system's trust store.</summary>
    public Amazon.Runtime.HttpClientFactory? S3HttpClientFactory { get; init; }

    /// <summary>Gatekeeper and codesign checks need macOS's spctl, codesign and xattr.</summary>
    public bool VerifyOnMacOS { get; init; } = OperatingSystem.IsMacOS();

    /// <summary>Clearing quarantine and pre-signing need macOS's xattr and codesign.</summary>
    public bool PrepareOnMacOS { get; init; } = OperatingSystem.IsMacOS();

    /// <summary>Runs first: every problem with the settings for the scheduled stages, in one error.</summary>
    public void CheckSettings(ReleaseStage stages, bool uploadRequested)
    {
        new SettingsCheck(Settings, Runner.Locator).EnsureValid(stages, uploadRequested);
        // NUKE leaves a statically skipped Notarize out of the scheduled stages, so ask whether anything gets signed.
        if (Settings.SkipNotarize && (stages & (ReleaseStage.Sign | ReleaseStage.Package)) != 0)
            Log.Warning("--skip-notarize: this run will NOT notarize; the result is for local testing, and Gatekeeper will block it on other Macs");
        if ((stages & ~(ReleaseStage.Verify | ReleaseStage.ImportCertificate)) != ReleaseStage.None)
            Log.Information("Releasing {AppName} {Version} (version from {Source}), variant {Variant}",
                Settings.AppName, Version.Value, Version.Source, Settings.Bundle.Name());
        else if (stages.HasFlag(ReleaseStage.Verify))
            Log.Information("Verifying {AppName} {Version} (version from {Source})", Settings.AppName, Version.Value, Version.Source);
    }

    public void Clean()
    {
        foreach (var directory in Layout.Outputs.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
            Log.Information("Removed {Directory}", directory);
        }
    }

    // Entry points return a plain Task: with Task<T>, NUKE's Executes<T>(Func<T>) overload would
    // be chosen and the task never awaited.
    public async Task FetchPythonAsync()
    {
        using var client = HttpDownloader.CreateClient();
        var fetcher = new PythonFetcher(Layout.RootDirectory, Layout.CpythonCache, new HttpDownloader(client));
        var python = await fetcher.ResolveAsync(Settings.EmbeddedPython, Settings.CpythonUrl, Settings.CpythonSha256, Cancellation);
        InterpreterCheck.Ensure(python, Settings.AllowForeignPython);
        if (PrepareOnMacOS)
            await new PythonPreparer(Runner).PrepareAsync(python, Settings.SignId, Cancellation);
        Python = python;
    }

    public async Task BundleAsync()
    {
        if (Python is null)
            await FetchPythonAsync();

        var appCopy = Path.Combine(Layout.TemporaryDirectory, "app-source");
        try
        {
            var inputs = await BundleInputsAsync(appCopy);
            BundleDirectory = Settings.Bundle == BundleVariant.PyInstaller
                ? await new PyInstallerBundler(Runner).BuildAsync(inputs, Layout.PyInstallerBundleDirectory, Cancellation)
                : await new ExternalBundler(Runner, launcherForMacOS: OperatingSystem.IsMacOS()).BuildAsync(inputs, Layout.ExternalBundleDirectory, Cancellation);
            LicenseReview = Inventory.LicensePolicy.Check(Inventory.PythonDistributions.Read(SitePackages(BundleDirectory)));
            try
            {
                Inventory.LicensePolicy.Enforce(LicenseReview, Settings.LicenseMode);
            }
            catch (ReleaseException)
            {
                // A bundle the policy refuses must not be signed and shipped by a later step.
                Directory.Delete(BundleDirectory, recursive: true);
                throw;
            }
        }
        finally
        {
            if (Directory.Exists(appCopy))
                Directory.Delete(appCopy, recursive: true);
        }
    }

    private async Task<BundleInputs> BundleInputsAsync(string appCopy)
    {
        var wheels = new[] { Settings.MlxWheel, Settings.MlxLmWheel }.OfType<string>().ToArray();
        var requirements = RequirementsFile.Read(Settings.Requirements ?? Path.Combine(Layout.RootDirectory, "requirements.txt"), wheels);

        string app;
        if (!string.IsNullOrWhiteSpace(Settings.AppSource))
        {
            if (Directory.Exists(appCopy))
                Directory.Delete(appCopy, recursive: true);
            if (!string.IsNullOrWhiteSpace(Settings.AppPackage))
                Log.Information("The app comes from {AppSource}; the package {AppPackage} is not installed", Settings.AppSource, Settings.AppPackage);
            app = await AppSourceCopy.CreateAsync(Runner, Settings.AppSource, Settings.AppPatches, Version.Value, appCopy, Cancellation);
        }
        else
        {
            app = Settings.AppPackage ?? throw new ReleaseException("Bundle needs the app: --app-source PATH or --app-package mlx-knife==2.0.4");
        }

        var license = Path.Combine(Layout.RootDirectory, "LICENSE");
        return new BundleInputs(
            Python!,
            Settings.AppName,
            Settings.AppModule,
            Version.Value,
            requirements,
            app,
            Settings.PipArguments,
            Settings.VendorViaWheels || !Vendoring.CanRun(Python!),
            Settings.ReportPackageNames,
            Layout.LauncherSource,
            File.Exists(license) ? license : null)
        {
            Compiler = Settings.Cc,
        };
    }

    /// <summary>Where the bundle keeps the distributions' metadata: _vendor/, or _internal/ for PyInstaller.</summary>
    private string SitePackages(string bundle) => Path.Combine(bundle, Settings.Bundle == BundleVariant.PyInstaller ? "_internal" : "_vendor");

    /// <summary>What Bundle's licence policy found (copyleft, or no licence), for the summary.</summary>
    public IReadOnlyList<Inventory.LicensePolicy.Finding> LicenseReview { get; private set; } = [];

    public async Task SignAsync()
    {
        var bundle = CurrentBundle;
        if (!Directory.Exists(bundle))
            throw new ReleaseException($"There is no bundle at {bundle} to sign: run Bundle first");

        Directory.CreateDirectory(Layout.TemporaryDirectory);
        var entitlements = Path.Combine(Layout.TemporaryDirectory, "entitlements.plist");
        await File.WriteAllTextAsync(entitlements, EntitlementsPlist.Create(Settings.LibraryValidation, Settings.Entitlements), Cancellation);

        var executables = BundleExecutables.Of(bundle, Settings.AppName);

        var identity = Settings.SignId ?? throw new ReleaseException("SIGN_ID is not set: export SIGN_ID=\"Developer ID Application: Your Name (TEAMID)\", or SIGN_ID=- for an ad-hoc local build");
        var record = await new BundleSigner(Runner) { Parallelism = Settings.SignParallelism }.SignAsync(bundle, identity, entitlements, executables, Cancellation);
        SignedFiles = record.Files;

        var preflight = MachO.Preflight.Run(bundle, Settings.IsAdHoc ? MachO.PreflightMode.Local : MachO.PreflightMode.Release, Settings.LibraryValidation, executables);
        if (Settings.PreflightJson is { } json)
            await File.WriteAllTextAsync(json, preflight.ToJson(), Cancellation);
        if (!preflight.Passed)
        {
            SignatureRecord.Remove(bundle);
            throw new ReleaseException($"The signed bundle fails the notarization preflight with {preflight.Errors} error(s) (listed above); it stays marked unsigned");
        }
    }

    public async Task NotarizeAsync()
    {
        if (Settings.SkipNotarize)
        {
            Log.Warning("Notarization skipped (--skip-notarize): this release is NOT notarized, and Gatekeeper will block it on other Macs");
            return;
        }

        // The same check CheckSettings ran, for callers that come straight here: credentials, timeout, id, tools.
        new SettingsCheck(Settings, Runner.Locator).EnsureValid(ReleaseStage.Notarize);
        var credentials = NotaryCredentials.From(Settings).Credentials!;
        var timeout = NotaryTimeout.TryParse(Settings.NotaryTimeout)!;

        var bundle = CurrentBundle;
        Notarization = await new Notarizer(Runner, credentials) { WorkDirectory = WorkDirectory }.NotarizeAsync(new NotarizationRequest(
            bundle,
            Settings.AppName,
            Version.Value,
            SubmissionRecord.PathFor(Layout.ArtifactsDirectory, Version.Value),
            timeout,
            Settings.NotarySubmissionId,
            LibraryValidation: Settings.LibraryValidation,
            BundleExecutables.Of(bundle, Settings.AppName)), Cancellation);
    }

    /// <summary>Imports MACOS_CERT_P12 into a temporary keychain for Sign (CI); CleanupKeychain removes it.</summary>
    public async Task ImportCertificateAsync()
    {
        if (!Settings.ImportsCertificate)
        {
            Log.Information("MACOS_CERT_P12 is not set: signing uses the identities already in the keychain");
            return;
        }

        if (Settings.IsAdHoc || string.IsNullOrWhiteSpace(Settings.SignId))
            throw new ReleaseException("MACOS_CERT_P12 is set but SIGN_ID does not name a Developer ID identity to sign with: set SIGN_ID to the certificate's name");
        await Keychain.ImportAsync(Settings.MacosCertP12!, Settings.MacosCertPassword ?? "", Settings.SignId, Cancellation);
    }

    /// <summary>Removes what ImportCertificate added, also after a failed or interrupted run; nothing to do otherwise.</summary>
    public Task CleanupKeychainAsync() => Keychain.CleanupAsync();

    private SigningKeychain Keychain => new(Runner, Path.Combine(Layout.TemporaryDirectory, "signing-keychain.json"))
    {
        TemporaryDirectory = KeychainDirectory ?? SigningKeychain.DefaultTemporaryDirectory,
    };

    /// <summary>Where Notarize zips the bundle and Verify extracts the tarball, each in a folder it removes; tests give their own.</summary>
    public string WorkDirectory { get; init; } = Path.GetTempPath();

    /// <summary>Where the temporary keychain goes; null means RUNNER_TEMP or the system's temp folder.</summary>
    public string? KeychainDirectory { get; init; }

    public async Task PackageAsync()
    {
        var bundle = CurrentBundle;
        var sbom = Path.Combine(Layout.ArtifactsDirectory, Inventory.SoftwareBillOfMaterials.FileName(Settings.AppName, Version.Value));
        // An SBOM of an earlier tarball must never sit beside a new one.
        if (File.Exists(sbom))
            File.Delete(sbom);
        var time = DeterministicTar.TimeFromEnvironment(Environment.GetEnvironmentVariable);
        Package = await Packager.PackageAsync(bundle, Settings.AppName, Version.Value, Layout.ArtifactsDirectory, time, allowAdHoc: Settings.IsAdHoc, Cancellation, Settings.GzipLevel);

        var json = Inventory.SoftwareBillOfMaterials.Create(Settings.AppName, Version.Value, Path.GetFileName(Package.Tarball), Package.Sha256, time,
            BundledPython(bundle), Inventory.PythonDistributions.Read(SitePackages(bundle)),
            await FileHash.Sha256Async(Path.Combine(bundle, Settings.AppName), Cancellation));
        AtomicFile.WriteAllText(sbom, json);
        Log.Information("Wrote the CycloneDX SBOM {Sbom}", sbom);
    }

    /// <summary>
    /// CPython as the SBOM names it: the full version, build release and archive hash come from the
    /// python-build-standalone asset (cpython-3.12.12+20251014-…), as downloaded by FetchPython or found in its cache.
    /// </summary>
    private Inventory.BundledPython BundledPython(string bundle)
    {
        var url = Python?.ArchiveUrl ?? Settings.CpythonUrl;
        var asset = url is null ? null : ReleaseChecksums.AssetName(new Uri(url));
        var match = asset is null ? null : System.Text.RegularExpressions.Regex.Match(asset, @"^cpython-(?<version>[0-9.]+)\+(?<release>[0-9]+)-");
        var sha = Python?.ArchiveSha256 ?? (asset is not null && CpythonArchiveCache.Find(Layout.CpythonCache, asset) is { } cached ? CpythonArchiveCache.Sha256Of(cached) : null);
        var version = match is { Success: true } ? match.Groups["version"].Value
            : Python?.Version ?? Directory.EnumerateDirectories(Path.Combine(bundle, "python", "lib"), "python3.*").Select(x => Path.GetFileName(x)["python".Length..]).FirstOrDefault() ?? "3";
        return new Inventory.BundledPython(version, match is { Success: true } ? match.Groups["release"].Value : null, url, sha);
    }

    public async Task UploadAsync()
    {
        if (!Settings.HasCompleteR2Settings)
            throw new ReleaseException("Upload needs R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_BUCKET and R2_ENDPOINT");

        var tarball = Package?.Tarball ?? Layout.Tarball(Version.Value);
        if (!File.Exists(tarball) || !File.Exists(tarball + ".sha256"))
            throw new ReleaseException($"{tarball} and its .sha256 are not there to upload: run Package first");

        var sha256 = Package?.Sha256 ?? (await File.ReadAllTextAsync(tarball + ".sha256", Cancellation)).Split(' ')[0];
        var sbom = Path.Combine(Layout.ArtifactsDirectory, Inventory.SoftwareBillOfMaterials.FileName(Settings.AppName, Version.Value));
        var manifest = Path.Combine(Layout.ArtifactsDirectory, "manifest.json");
        await File.WriteAllTextAsync(manifest, new ReleaseManifest(Settings.AppName, Version.Value, Path.GetFileName(tarball),
            new FileInfo(tarball).Length, sha256, DateTimeOffset.UtcNow) { Sbom = File.Exists(sbom) ? Path.GetFileName(sbom) : null }.ToJson(), Cancellation);

        var prefix = ReleaseManifest.Prefix(Settings.R2Path, Version.Value);
        var target = new R2Target(Settings.R2Endpoint!, Settings.R2Bucket!, Settings.R2AccessKeyId!, Settings.R2SecretAccessKey!);
        using var client = R2Client.Create(target, S3HttpClientFactory);
        Uploaded = await new R2Uploader(client, target).UploadAsync(
        [
            new UploadItem(prefix + Path.GetFileName(tarball), tarball, "application/gzip"),
            new UploadItem(prefix + Path.GetFileName(tarball) + ".sha256", tarball + ".sha256", "text/plain"),
            .. File.Exists(sbom) ? new[] { new UploadItem(prefix + Path.GetFileName(sbom), sbom, "application/vnd.cyclonedx+json") } : [],
            new UploadItem(prefix + "manifest.json", manifest, "application/json"),
        ], Settings.ForceUpload, Cancellation);
    }

    public async Task VerifyAsync()
    {
        var tarball = Settings.Artifact ?? Layout.Tarball(Version.Value);
        var mode = Settings.IsAdHoc ? MachO.PreflightMode.Local : MachO.PreflightMode.Release;
        var checks = await new ReleaseVerifier(Runner, VerifyOnMacOS, mode, libraryValidation: Settings.LibraryValidation, Settings.PreflightJson, WorkDirectory)
            .VerifyAsync(tarball, Settings.AppName, Cancellation);
        var failures = checks.Where(x => x.Fails).ToArray();
        if (failures.Length > 0)
            throw new ReleaseException($"Verify found {failures.Length} problem(s) in {tarball}: {string.Join("; ", failures.Select(x => $"{x.Subject}: {x.Check} ({x.Detail})"))}");
        Log.Information("Verified {Tarball}: {Count} checks passed", tarball, checks.Count(x => x.Passed));
    }

    /// <summary>The end of a Release: what was built and where it went, as a one-row table.</summary>
    public void WriteSummary()
    {
        var tarball = Package?.Tarball ?? Layout.Tarball(Version.Value);
        var notarization = Notarization is { } result ? $"{result.Status} ({result.Id})" : Settings.SkipNotarize ? "not notarized" : "not run";
        Summary = new ReleaseSummary(Version.Value, Settings.Bundle.Name(), SignedFiles, notarization,
            Path.GetRelativePath(Layout.RootDirectory, tarball), Package?.Size, Package?.Sha256, Uploaded.Select(x => x.Url).ToArray())
        {
            LicenseReview = LicenseReview.Select(x => x.ToString()).ToArray(),
        };
        Log.Information("Release {AppName} {Version}:\n{Table:l}", Settings.AppName, Version.Value, Summary.ToTable());
    }

    /// <summary>The table WriteSummary printed.</summary>
    public ReleaseSummary? Summary { get; private set; }
}
