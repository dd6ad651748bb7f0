using ReleaseKit.Bundling;
using ReleaseKit.Notarization;
using ReleaseKit.Packaging;
using ReleaseKit.Publishing;
using ReleaseKit.Python;
using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tooling;
using ReleaseKit.Verification;

namespace ReleaseKit;

/// <summary>
/// Each stage's options, parsed from its parameters the first time they are asked for and never
/// again: the settings check gathers their problems, and the stages take their values. The only
/// reader of <see cref="ReleaseSettings"/>: what several stages share (the product's name, the
/// signing identity, library validation) is read here once too, so no stage reads another's
/// parameters.
/// </summary>
public sealed class ReleaseOptions
{
    private readonly Lazy<Parsed<ReleaseVersion>> _version;
    private readonly Lazy<Parsed<OsVersion>> _macOsMinimum;
    private readonly Lazy<Parsed<PythonSource>> _python;
    private readonly Lazy<Parsed<BundleOptions>> _bundle;
    private readonly Lazy<Parsed<CertificateOptions>> _certificate;
    private readonly Lazy<Parsed<SigningOptions>> _signing;
    private readonly Lazy<Parsed<NotaryOptions>> _notary;
    private readonly Lazy<Parsed<PackageOptions>> _package;
    private readonly Lazy<Parsed<R2Options>> _upload;
    private readonly Lazy<Parsed<VerifyOptions>> _verify;
    private readonly Lazy<Parsed<PromoteOptions>> _promote;

    /// <param name="environment">For what only the environment says, such as SOURCE_DATE_EPOCH.</param>
    /// <param name="prepareOnMacOS">FetchPython prepares the interpreter with xattr and codesign.</param>
    /// <param name="verifyOnMacOS">Verify asks Gatekeeper and codesign.</param>
    public ReleaseOptions(ReleaseSettings settings, Func<string, string?> environment, bool prepareOnMacOS, bool verifyOnMacOS)
    {
        AppName = settings.AppName;
        AppNameProblem = ProductName.Problem(settings.AppName);
        RootDirectory = settings.RootDirectory;
        Identity = settings.Signing.Identity;
        LibraryValidation = settings.Signing.LibraryValidation;
        SkipNotarize = settings.Notary.SkipNotarize;
        UploadConfigured = settings.Upload.HasAny;
        ImportsCertificate = settings.Certificate.Imports;
        SignsUpdates = SettingText.IsSet(settings.Package.UpdateSigningKey);
        _variant = settings.Bundle.Variant;
        _version = new(() => ReleaseVersion.Parse(settings.Version, Path.Combine(settings.RootDirectory, "package.json")));
        _macOsMinimum = new(() => ReleaseKit.Settings.MacOsMinimum.Parse(settings.MacosMin));
        _python = new(() => PythonSource.Parse(settings.Python, settings.RootDirectory, prepareOnMacOS));
        _bundle = new(() => BundleOptions.Parse(settings.Bundle, settings.RootDirectory));
        _certificate = new(() => CertificateOptions.Parse(settings.Certificate, Identity));
        _signing = new(() => SigningOptions.Parse(settings.Signing));
        _notary = new(() => NotaryOptions.Parse(settings.Notary, Identity, LibraryValidation));
        _package = new(() => PackageOptions.Parse(settings.Package, environment));
        _upload = new(() => R2Options.Parse(settings.Upload));
        _verify = new(() => VerifyOptions.Parse(settings.Verify, Identity, LibraryValidation, settings.Package.UpdatePublicKey, Upload, verifyOnMacOS));
        _promote = new(() => PromoteOptions.Parse(Upload, settings.Package.UpdatePublicKey));
    }

    private readonly string? _variant;

    public string RootDirectory { get; }

    /// <summary>The product's name (--app-name): the bundle folder, the launcher and the tarball carry it.</summary>
    public string AppName { get; }

    /// <summary>What Sign signs with, when set: FetchPython pre-signs with it, Notarize refuses ad-hoc, Package and Verify judge an ad-hoc build by it.</summary>
    public SigningIdentity? Identity { get; }

    /// <summary>Whether Sign's entitlements keep library validation on, which every preflight checks.</summary>
    public bool LibraryValidation { get; }

    /// <summary>--skip-notarize: Notarize does nothing, and its settings are not needed.</summary>
    public bool SkipNotarize { get; }

    /// <summary>Any R2 setting is given: a Release uploads (and the settings check wants all of them).</summary>
    public bool UploadConfigured { get; }

    /// <summary>MACOS_CERT_P12 is given: ImportCertificate has something to import.</summary>
    public bool ImportsCertificate { get; }

    /// <summary>UPDATE_SIGNING_KEY is given: Package signs the update, and Upload and Promote sign the channel pointer.</summary>
    public bool SignsUpdates { get; }

    /// <summary>
    /// The variant whose bundle Sign, Notarize and Package find on disk: Bundle's when its options
    /// parse, else the one named, else external (a stage run alone still has to find the bundle).
    /// </summary>
    public BundleVariant Variant => Bundle.ValueOrNull?.Variant ?? BundleVariantNames.Parse(_variant) ?? BundleVariant.External;

    /// <summary>Why AppName cannot name the bundle and tarball, or null.</summary>
    public string? AppNameProblem { get; }

    public Parsed<ReleaseVersion> Version => _version.Value;

    /// <summary>The oldest macOS the release supports: Bundle picks wheels for it, and every preflight checks it.</summary>
    public Parsed<OsVersion> MacOsMinimum => _macOsMinimum.Value;
    public Parsed<PythonSource> Python => _python.Value;
    public Parsed<BundleOptions> Bundle => _bundle.Value;
    public Parsed<CertificateOptions> Certificate => _certificate.Value;
    public Parsed<SigningOptions> Signing => _signing.Value;
    public Parsed<NotaryOptions> Notary => _notary.Value;
    public Parsed<PackageOptions> Package => _package.Value;
    public Parsed<R2Options> Upload => _upload.Value;
    public Parsed<VerifyOptions> Verify => _verify.Value;
    public Parsed<PromoteOptions> Promote => _promote.Value;
}
