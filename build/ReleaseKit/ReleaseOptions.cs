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
/// again: the settings check gathers their problems, and the steps take their values.
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
        Settings = settings;
        AppNameProblem = AppName.Problem(settings.AppName);
        _version = new(() => ReleaseVersion.Parse(settings.Version, Path.Combine(settings.RootDirectory, "package.json")));
        _macOsMinimum = new(() => ReleaseKit.Settings.MacOsMinimum.Parse(settings.MacosMin));
        _python = new(() => PythonSource.Parse(settings.Python, settings.RootDirectory, prepareOnMacOS));
        _bundle = new(() => BundleOptions.Parse(settings.Bundle, settings.RootDirectory));
        _certificate = new(() => CertificateOptions.Parse(settings.Certificate, settings.Signing.Identity));
        _signing = new(() => SigningOptions.Parse(settings.Signing));
        _notary = new(() => NotaryOptions.Parse(settings.Notary, settings.Signing.Identity));
        _package = new(() => PackageOptions.Parse(settings.Package, environment));
        _upload = new(() => R2Options.Parse(settings.Upload));
        _verify = new(() => VerifyOptions.Parse(settings.Verify, settings.Signing, settings.Package, Upload, verifyOnMacOS));
        _promote = new(() => PromoteOptions.Parse(Upload, settings.Package));
    }

    public ReleaseSettings Settings { get; }

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
