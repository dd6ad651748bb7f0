using ReleaseKit.Bundling;
using ReleaseKit.Notarization;
using ReleaseKit.Packaging;
using ReleaseKit.Publishing;
using ReleaseKit.Python;
using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Verification;

namespace ReleaseKit;

/// <summary>
/// Everything a release run is configured with, as typed: the release's name and version, and
/// each stage's own parameters. The NUKE host fills it from its parameters (command line,
/// environment, .nuke/parameters.json), one partial per stage; tests build it directly.
/// Each stage parses its part once (see <see cref="ReleaseOptions"/>).
/// </summary>
public sealed record ReleaseSettings
{
    public required string RootDirectory { get; init; }

    /// <summary>Requested version; null means the version field of package.json.</summary>
    public string? Version { get; init; }

    public string AppName { get; init; } = Settings.ProductName.Default;

    /// <summary>The oldest macOS the release supports (--macos-min); null means <see cref="Settings.MacOsMinimum.Default"/>.</summary>
    public string? MacosMin { get; init; }

    public PythonParameters Python { get; init; } = new();
    public BundleParameters Bundle { get; init; } = new();
    public CertificateParameters Certificate { get; init; } = new();
    public SigningParameters Signing { get; init; } = new();
    public NotaryParameters Notary { get; init; } = new();
    public PackageParameters Package { get; init; } = new();
    public R2Parameters Upload { get; init; } = new();
    public VerifyParameters Verify { get; init; } = new();

    /// <summary>The values the tool runner masks wherever they would be printed.</summary>
    public IEnumerable<string?> Secrets =>
        [.. Notary.Secrets, Upload.R2SecretAccessKey, Certificate.MacosCertP12, Certificate.MacosCertPassword, .. Package.Secrets];

    private bool PrintMembers(System.Text.StringBuilder builder) => Tooling.Redacted.PrintMembers(this, builder, nameof(Secrets));

    /// <summary>
    /// Fills what the environment provides beyond NUKE's own binding: VERSION for callers that
    /// do not go through NUKE, and the other names the stages accept for their settings.
    /// </summary>
    public ReleaseSettings WithEnvironmentFallbacks(Func<string, string?> environment) => this with
    {
        Version = SettingText.FirstSet(Version, environment("VERSION")),
        Signing = Signing.WithEnvironmentFallbacks(environment),
        Notary = Notary.WithEnvironmentFallbacks(environment),
        Package = Package.WithEnvironmentFallbacks(environment),
    };
}
