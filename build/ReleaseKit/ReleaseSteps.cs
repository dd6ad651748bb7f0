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
    private readonly Lazy<ReleaseOptions> _options;

    public ReleaseSteps(ReleaseSettings settings, ToolRunner? runner = null, CancellationToken cancellation = default)
    {
        Settings = settings;
        Runner = runner ?? new ToolRunner();
        Cancellation = cancellation;
        Layout = new ReleaseLayout(settings.RootDirectory, settings.AppName);
        // After the object initializer, which may say where this runs.
        _options = new Lazy<ReleaseOptions>(() => new ReleaseOptions(settings, Environment, PrepareOnMacOS, VerifyOnMacOS));

        foreach (var secret in settings.Secrets)
            Runner.Masker.Register(secret);
    }

    public ReleaseSettings Settings { get; }

    /// <summary>Each stage's options, parsed once.</summary>
    public ReleaseOptions Options => _options.Value;

    /// <summary>Where SOURCE_DATE_EPOCH and the like are read; tests give their own.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public ToolRunner Runner { get; }

    public CancellationToken Cancellation { get; }

    public ReleaseLayout Layout { get; }

    public ReleaseVersion Version => Options.Version.Require();

    /// <summary>The Python chosen by FetchPython, for Bundle.</summary>
    public PythonInstallation? Python { get; private set; }

    /// <summary>The bundle folder written by Bundle.</summary>
    public string? BundleDirectory { get; private set; }

    /// <summary>The bundle Bundle built in this run, or else the one of the chosen variant on disk.</summary>
    private string CurrentBundle => BundleDirectory ?? BundleDirectoryOf(Variant);

    /// <summary>The variant asked for; for steps that only find the bundle, an unparsable variant means the default one.</summary>
    private BundleVariant Variant => Options.Bundle.ValueOrNull?.Variant ?? BundleVariantNames.Parse(Settings.Bundle.Variant) ?? BundleVariant.External;

    private string BundleDirectoryOf(BundleVariant variant) =>
        variant == BundleVariant.PyInstaller ? Layout.PyInstallerBundleDirectory : Layout.ExternalBundleDirectory;

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
        new SettingsCheck(Options, Runner.Locator).EnsureValid(stages, uploadRequested);
        // NUKE leaves a statically skipped Notarize out of the scheduled stages, so ask whether anything gets signed.
        if (Settings.Notary.SkipNotarize && (stages & (ReleaseStage.Sign | ReleaseStage.Package)) != 0)
            Log.Warning("--skip-notarize: this run will NOT notarize; the result is for local testing, and Gatekeeper will block it on other Macs");
        if ((stages & ~(ReleaseStage.Verify | ReleaseStage.ImportCertificate | ReleaseStage.Promote)) != ReleaseStage.None)
            Log.Information("Releasing {AppName} {Version} (version from {Source}), variant {Variant}",
                Settings.AppName, Version.Value, Version.Source, Variant.Name());
        else if (stages.HasFlag(ReleaseStage.Verify))
            Log.Information("Verifying {AppName} {Version} (version from {Source})", Settings.AppName, Version.Value, Version.Source);
        else if (stages.HasFlag(ReleaseStage.Promote))
            Log.Information("Promoting {AppName} {Version} (version from {Source})", Settings.AppName, Version.Value, Version.Source);
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
    public async Task FetchPythonAsync() => Python = await ResolvePythonAsync();

    private async Task<PythonInstallation> ResolvePythonAsync()
    {
        using var client = HttpDownloader.CreateClient();
        var fetcher = new PythonFetcher(Layout.RootDirectory, Layout.CpythonCache, new HttpDownloader(client));
        var source = Options.Python.Require();
        var python = await fetcher.ResolveAsync(source, Cancellation);
        InterpreterCheck.Ensure(python, source.AllowForeign);
        if (PrepareOnMacOS)
            await new PythonPreparer(Runner).PrepareAsync(python, Settings.Signing.Identity, Cancellation);
        return python;
    }

    public async Task BundleAsync()
    {
        var options = Options.Bundle.Require();
        var python = Python ??= await ResolvePythonAsync();

        var appCopy = Path.Combine(Layout.TemporaryDirectory, "app-source");
        try
        {
            var inputs = await BundleInputsAsync(options, python, appCopy);
            var built = options.Variant == BundleVariant.PyInstaller
                ? await new PyInstallerBundler(Runner).BuildAsync(inputs, Layout.PyInstallerBundleDirectory, Cancellation)
                : await new ExternalBundler(Runner, LauncherCompiler.PlatformOfThisMachine).BuildAsync(inputs, Layout.ExternalBundleDirectory, Cancellation);
            BundleDirectory = built.Directory;
            LicenseReview = Inventory.LicensePolicy.Check(built.Distributions);
            try
            {
                Inventory.LicensePolicy.Enforce(LicenseReview, options.LicensePolicy);
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

    private async Task<BundleInputs> BundleInputsAsync(BundleOptions options, PythonInstallation python, string appCopy)
    {
        var requirements = RequirementsFile.Read(options.Requirements, options.Wheels);

        var app = options.App switch
        {
            AppProject project => await CopyProjectAsync(project, appCopy),
            AppRequirement requirement => requirement.Requirement,
            _ => throw new InvalidOperationException($"Unknown app origin {options.App}"),
        };

        var license = Path.Combine(Layout.RootDirectory, "LICENSE");
        return new BundleInputs(
            python,
            Settings.AppName,
            options.AppModule,
            Version.Value,
            requirements,
            app,
            options.PipArguments,
            options.VendorViaWheels || !Vendoring.CanRun(python),
            options.ReportPackages,
            Layout.LauncherSource,
            File.Exists(license) ? license : null)
        {
            Compiler = options.Compiler,
            MinimumMacOs = Options.MacOsMinimum.Require(),
        };
    }

    private async Task<string> CopyProjectAsync(AppProject project, string appCopy)
    {
        if (Directory.Exists(appCopy))
            Directory.Delete(appCopy, recursive: true);
        if (project.InsteadOf is { } package)
            Log.Information("The app comes from {AppSource}; the package {AppPackage} is not installed", project.Directory, package);
        return await AppSourceCopy.CreateAsync(Runner, project.Directory, project.Patches, Version.Value, appCopy, Cancellation);
    }

    /// <summary>What Bundle's licence policy found (copyleft, or no licence), for the summary.</summary>
    public IReadOnlyList<Inventory.LicensePolicy.Finding> LicenseReview { get; private set; } = [];

    public async Task SignAsync()
    {
        var options = Options.Signing.Require();
        var bundle = CurrentBundle;
        RequireLauncher(bundle, "Sign");

        Directory.CreateDirectory(Layout.TemporaryDirectory);
        var entitlements = Path.Combine(Layout.TemporaryDirectory, "entitlements.plist");
        await File.WriteAllTextAsync(entitlements, EntitlementsPlist.Create(options.LibraryValidation, options.Entitlements), Cancellation);

        var executables = BundleExecutables.Of(bundle, Settings.AppName);
        var record = await new BundleSigner(Runner) { Parallelism = options.Parallelism }.SignAsync(bundle, options.Identity, entitlements, executables, Cancellation);
        SignedFiles = record.Files;

        var preflight = MachO.Preflight.Run(bundle, options.Identity.IsAdHoc ? MachO.PreflightMode.Local : MachO.PreflightMode.Release, options.LibraryValidation, executables,
            Options.MacOsMinimum.Require());
        if (options.PreflightJson is { } json)
            await File.WriteAllTextAsync(json, preflight.ToJson(), Cancellation);
        if (!preflight.Passed)
        {
            SignatureRecord.Remove(bundle);
            throw new ReleaseException($"The signed bundle fails the notarization preflight with {preflight.Errors} error(s) (listed above); it stays marked unsigned");
        }
    }

    public async Task NotarizeAsync()
    {
        if (Settings.Notary.SkipNotarize)
        {
            Log.Warning("Notarization skipped (--skip-notarize): this release is NOT notarized, and Gatekeeper will block it on other Macs");
            return;
        }

        var options = Options.Notary.Require();
        var bundle = CurrentBundle;
        Notarization = await new Notarizer(Runner, options.Credentials) { WorkDirectory = WorkDirectory }.NotarizeAsync(new NotarizationRequest(
            bundle,
            Settings.AppName,
            Version.Value,
            SubmissionRecord.PathFor(Layout.ArtifactsDirectory, Version.Value),
            options.Timeout,
            options.SubmissionId,
            LibraryValidation: Settings.Signing.LibraryValidation,
            BundleExecutables.Of(bundle, Settings.AppName)) { MinimumMacOs = Options.MacOsMinimum.Require() }, Cancellation);
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
        var options = Options.Package.Require();
        var launcher = RequireLauncher(bundle, "Package");
        // Everything the SBOM reads is read before the tarball is written, so a bundle it cannot describe stops Package with no artifact at all.
        var python = BundledPython(bundle);
        var distributions = Inventory.PythonDistributions.Read(BundleSites.Of(bundle, Variant));
        var launcherSha256 = await FileHash.Sha256Async(launcher, Cancellation);
        var sbom = Path.Combine(Layout.ArtifactsDirectory, Inventory.SoftwareBillOfMaterials.FileName(Settings.AppName, Version.Value));
        var tarballName = $"{Settings.AppName}-{Version.Value}.tgz";
        var signature = Path.Combine(Layout.ArtifactsDirectory, tarballName + ".minisig");
        List<Companion> companions = [new(sbom, (_, sha256) => Inventory.SoftwareBillOfMaterials.Create(Settings.AppName, Version.Value, tarballName, sha256, options.Time, python, distributions, launcherSha256))];
        if (options.UpdateKey is { } key)
            companions.Add(new(signature, (tarball, sha256) => UpdateSignature.Sign(key, tarball, tarballName, Version.Value, sha256, options.Time)));
        else if (File.Exists(signature))
            // A signature of an earlier tarball must never sit beside a new one.
            File.Delete(signature);
        Package = await Packager.PackageAsync(bundle, Settings.AppName, Version.Value, Layout.ArtifactsDirectory, options.Time,
            allowAdHoc: Settings.Signing.Identity is { IsAdHoc: true }, Cancellation, options.GzipLevel, companions);
        Log.Information("Wrote the CycloneDX SBOM {Sbom}", sbom);
        UpdateKeyId = options.UpdateKey?.Id;
        if (options.UpdateKey is { } signer)
            Log.Information("Signed the update with minisign key {KeyId}: {Signature}", signer.Id, signature);
        else
            Log.Information("UPDATE_SIGNING_KEY is not set: {Tarball} is an unsigned update", tarballName);
    }

    /// <summary>The release channel Upload moved to this version; null when it did not move one.</summary>
    public string? Channel { get; private set; }

    /// <summary>The minisign key id Package signed the update with; null for an unsigned update.</summary>
    public string? UpdateKeyId { get; private set; }

    /// <summary>The bundle's launcher; a bundle without it was not made by Bundle for this app name.</summary>
    private string RequireLauncher(string bundle, string step)
    {
        var launcher = Path.Combine(bundle, Settings.AppName);
        return File.Exists(launcher)
            ? launcher
            : Directory.Exists(bundle)
                ? throw new ReleaseException($"The bundle {bundle} has no launcher {Settings.AppName}, so {step} cannot ship it: run Bundle again (with the same --app-name)")
                : throw new ReleaseException($"There is no bundle at {bundle} to {step.ToLowerInvariant()}: run Bundle first");
    }

    /// <summary>
    /// CPython as the SBOM names it: the full version, build release and archive hash come from the
    /// python-build-standalone asset (cpython-3.12.12+20251014-…), as downloaded by FetchPython or found in its cache;
    /// otherwise the version of the bundle's python/lib/python3.X (a PyInstaller bundle has none: "3").
    /// </summary>
    private Inventory.BundledPython BundledPython(string bundle)
    {
        var url = Python?.ArchiveUrl ?? Options.Python.ValueOrNull?.Download?.AbsoluteUri;
        var asset = url is null ? null : ReleaseChecksums.AssetName(new Uri(url));
        var match = asset is null ? null : System.Text.RegularExpressions.Regex.Match(asset, @"^cpython-(?<version>[0-9.]+)\+(?<release>[0-9]+)-");
        var sha = Python?.ArchiveSha256 ?? (asset is not null && CpythonArchiveCache.Find(Layout.CpythonCache, asset) is { } cached ? CpythonArchiveCache.Sha256Of(cached) : null);
        var lib = Path.Combine(bundle, "python", "lib");
        var version = match is { Success: true } ? match.Groups["version"].Value
            : Python?.Version ?? (Directory.Exists(lib) ? Directory.EnumerateDirectories(lib, "python3.*").Select(x => Path.GetFileName(x)["python".Length..]).FirstOrDefault() : null) ?? "3";
        return new Inventory.BundledPython(version, match is { Success: true } ? match.Groups["release"].Value : null, url, sha);
    }

    public async Task UploadAsync()
    {
        var options = Options.Upload.Require();

        var tarball = Package?.Tarball ?? Layout.Tarball(Version.Value);
        if (!File.Exists(tarball) || !File.Exists(tarball + ".sha256"))
            throw new ReleaseException($"{tarball} and its .sha256 are not there to upload: run Package first");

        // What goes up is described by the tarball itself, never by the text of its .sha256, which may have been edited or belong to another build.
        var sha256 = await FileHash.Sha256Async(tarball, Cancellation);
        var size = new FileInfo(tarball).Length;
        var listed = (await File.ReadAllTextAsync(tarball + ".sha256", Cancellation)).Split([' ', '\n', '\t'], 2)[0].Trim().ToLowerInvariant();
        if (listed != sha256)
            throw new ReleaseException($"{tarball}.sha256 says {listed}, but the tarball's SHA-256 is {sha256}: nothing was uploaded. Run Package again, which writes both together");
        var sbom = Path.Combine(Layout.ArtifactsDirectory, Inventory.SoftwareBillOfMaterials.FileName(Settings.AppName, Version.Value));
        if (File.Exists(sbom) && Inventory.SoftwareBillOfMaterials.SubjectSha256(await File.ReadAllTextAsync(sbom, Cancellation)) is { } subject && subject != sha256)
            throw new ReleaseException($"{sbom} describes a tarball with SHA-256 {subject}, not this one ({sha256}): nothing was uploaded. Run Package again, which writes both together");
        var signature = tarball + UpdateSignature.Extension;
        var signatureText = File.Exists(signature) ? await File.ReadAllTextAsync(signature, Cancellation) : null;
        if (signatureText is not null && !signatureText.Contains($"\tsha256:{sha256}", StringComparison.Ordinal))
            throw new ReleaseException($"{signature} signs another build than this tarball ({sha256}): nothing was uploaded. Run Package again, which writes both together");
        var manifest = Path.Combine(Layout.ArtifactsDirectory, "manifest.json");
        await File.WriteAllTextAsync(manifest, new ReleaseManifest(Settings.AppName, Version.Value, Path.GetFileName(tarball), size, sha256, DateTimeOffset.UtcNow)
        {
            Sbom = File.Exists(sbom) ? Path.GetFileName(sbom) : null,
            Signature = signatureText,
            KeyId = signatureText is null ? null : MinisignKey.KeyIdOf(signatureText),
        }.ToJson(), Cancellation);

        var prefix = options.KeyPrefix(Version.Value);
        using var client = R2Client.Create(options.Target, S3HttpClientFactory);
        Uploaded = await new R2Uploader(client, options.Target).UploadAsync(
        [
            new UploadItem(prefix + Path.GetFileName(tarball), tarball, "application/gzip", sha256),
            new UploadItem(prefix + Path.GetFileName(tarball) + ".sha256", tarball + ".sha256", "text/plain"),
            .. File.Exists(sbom) ? new[] { new UploadItem(prefix + Path.GetFileName(sbom), sbom, "application/vnd.cyclonedx+json") } : [],
            .. signatureText is not null ? new[] { new UploadItem(prefix + Path.GetFileName(signature), signature, "text/plain") } : [],
            new UploadItem(prefix + "manifest.json", manifest, "application/json"),
        ], options.Force, Cancellation);

        // Last of all: the updater of a channel sees the release only once every object is there.
        Channel = await MoveChannelAsync(client, options, prefix + "manifest.json", await File.ReadAllBytesAsync(manifest, Cancellation));
    }

    public async Task VerifyAsync()
    {
        var options = Options.Verify.Require();
        if (options.Published is { } published)
        {
            await VerifyPublishedAsync(options, published);
            return;
        }

        await VerifyTarballAsync(options, options.Artifact ?? Layout.Tarball(Version.Value));
    }

    /// <summary>
    /// Moves a channel to a release already in the bucket (Promote --version V --channel C), once
    /// the release verifies as users download it: a channel never names what fails Verify.
    /// </summary>
    public async Task PromoteAsync()
    {
        var options = Options.Promote.Require();
        var bucket = options.Bucket;
        await VerifyPublishedAsync(Options.Verify.Require(), new PublishedRelease(bucket, null, options.PublicKey));

        var manifestKey = bucket.KeyPrefix(Version.Value) + "manifest.json";
        using var client = R2Client.Create(bucket.Target, S3HttpClientFactory);
        var manifest = Path.Combine(WorkDirectory, $"promote-{Guid.NewGuid():N}.json");
        try
        {
            await new BucketSource(client, bucket.Target.Bucket).FetchAsync(manifestKey, manifest, Cancellation);
            Channel = await MoveChannelAsync(client, bucket, manifestKey, await File.ReadAllBytesAsync(manifest, Cancellation))
                ?? throw new ReleaseException($"Channel {ReleaseChannel.For(Pep440Version.Parse(Version.Value), bucket.Channel)} names a newer release than {Version.Value}: pass --force-channel to move it back");
        }
        finally
        {
            File.Delete(manifest);
        }
    }

    /// <summary>
    /// Moves this version's channel (stable or beta, or --channel) to its manifest, signed with the
    /// update key when there is one; the channel's name, or null when it names a newer release.
    /// </summary>
    private async Task<string?> MoveChannelAsync(Amazon.S3.IAmazonS3 client, R2Options bucket, string manifestKey, byte[] manifest)
    {
        var version = Pep440Version.Parse(Version.Value);
        var channel = ReleaseChannel.For(version, bucket.Channel);
        var key = SettingText.IsSet(Settings.Package.UpdateSigningKey) ? Options.Package.Require().UpdateKey : null;
        Func<byte[], string, string>? sign = key is null ? null : (bytes, comment) => key.Sign(new MemoryStream(bytes), comment);
        return await new ReleaseChannel(client, bucket.Target).MoveAsync(channel, Settings.AppName, version, manifestKey, manifest, sign, bucket.ForceChannel, Cancellation)
            ? channel
            : null;
    }

    /// <summary>Verify --from-r2 / --release-url: the release as users download it, then every local check on what arrived.</summary>
    private async Task VerifyPublishedAsync(VerifyOptions options, PublishedRelease published)
    {
        var folder = Path.Combine(WorkDirectory, $"verify-download-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        using var http = HttpDownloader.CreateClient();
        using var s3 = published.Bucket is { } bucket ? R2Client.Create(bucket.Target, S3HttpClientFactory) : null;
        try
        {
            var prefix = published.Bucket?.KeyPrefix(Version.Value) ?? $"releases/{Version.Value}/";
            IReleaseSource source = s3 is not null ? new BucketSource(s3, published.Bucket!.Target.Bucket) : new UrlSource(new HttpDownloader(http), published.Url!);
            var (checks, tarball) = await DownloadedRelease.FetchAsync(source, prefix, folder, published.PublicKey, Cancellation);
            var failures = VerifyCheck.Report(checks).Where(x => x.Fails).ToArray();
            if (failures.Length > 0 || tarball is null)
                throw new ReleaseException($"The published release {Version.Value} is not what was signed: {VerifyCheck.Describe(failures)}");
            await VerifyTarballAsync(options, tarball);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task VerifyTarballAsync(VerifyOptions options, string tarball)
    {
        // Only for a tarball this run packaged: the bundle on disk may belong to another version.
        var signed = Package is { } packaged && Path.GetFullPath(packaged.Tarball) == Path.GetFullPath(tarball) ? packaged.Signed : null;
        var checks = await new ReleaseVerifier(Runner, VerifyOnMacOS, options.Mode, libraryValidation: options.LibraryValidation, options.PreflightJson, WorkDirectory) { Signed = signed, MinimumMacOs = Options.MacOsMinimum.Require() }
            .VerifyAsync(tarball, Settings.AppName, Cancellation);
        var failures = checks.Where(x => x.Fails).ToArray();
        if (failures.Length > 0)
            throw new ReleaseException($"Verify found {failures.Length} problem(s) in {tarball}: {VerifyCheck.Describe(failures)}");
        Log.Information("Verified {Tarball}: {Count} checks passed", tarball, checks.Count(x => x.Passed));
    }

    /// <summary>The end of a Release: what was built and where it went, as a one-row table.</summary>
    public void WriteSummary()
    {
        var tarball = Package?.Tarball ?? Layout.Tarball(Version.Value);
        var notarization = Notarization is { } result ? $"{result.Status} ({result.Id})" : Settings.Notary.SkipNotarize ? "not notarized" : "not run";
        Summary = new ReleaseSummary(Version.Value, Variant.Name(), SignedFiles, notarization,
            Path.GetRelativePath(Layout.RootDirectory, tarball), Package?.Size, Package?.Sha256, Uploaded.Select(x => x.Url).ToArray())
        {
            LicenseReview = LicenseReview.Select(x => x.ToString()).ToArray(),
            UpdateKeyId = UpdateKeyId,
            Channel = Channel,
        };
        Log.Information("Release {AppName} {Version}:\n{Table:l}", Settings.AppName, Version.Value, Summary.ToTable());
    }

    /// <summary>The table WriteSummary printed.</summary>
    public ReleaseSummary? Summary { get; private set; }
}
