namespace ReleaseKit.Settings;

/// <summary>
/// Everything a release run is configured with. The NUKE host fills it from its parameters
/// (command line, environment, .nuke/parameters.json); tests build it directly.
/// </summary>
public sealed record ReleaseSettings
{
    public const string DefaultAppName = "msty-mlx-studio";
    public const string DefaultAppModule = "mlxk2.cli";
    public const string AdHocIdentity = "-";
    public const string DefaultNotaryTimeout = "2h";

    public required string RootDirectory { get; init; }

    /// <summary>Requested version; null means the version field of package.json.</summary>
    public string? Version { get; init; }

    /// <summary>As typed: external or pyinstaller. The steps read <see cref="Bundle"/>.</summary>
    public string Variant { get; init; } = BundleVariant.External.Name();

    /// <summary>The variant to build; External until the settings check has refused an unknown name.</summary>
    public BundleVariant Bundle => BundleVariantNames.Parse(Variant) ?? BundleVariant.External;
    public string? EmbeddedPython { get; init; }
    public string? CpythonUrl { get; init; }
    public string? CpythonSha256 { get; init; }
    public bool AllowForeignPython { get; init; }
    /// <remarks>The flag users know (--disable-libval); the steps read <see cref="LibraryValidation"/>.</remarks>
    public bool DisableLibval { get; init; } = true;

    /// <summary>Whether macOS's library validation stays on: then every library must carry the launcher's team.</summary>
    public bool LibraryValidation => !DisableLibval;
    public bool SkipNotarize { get; init; }
    public string? Entitlements { get; init; }
    public string? SignId { get; init; }
    public int SignParallelism { get; init; } = 4;
    public string? AppleId { get; init; }
    public string? AppleTeamId { get; init; }
    public string? AppleAppSpecificPassword { get; init; }
    public string? NotaryKeychainProfile { get; init; }
    public string? NotaryKey { get; init; }
    public string? NotaryKeyId { get; init; }
    public string? NotaryIssuer { get; init; }
    public string NotaryTimeout { get; init; } = DefaultNotaryTimeout;
    public string? NotarySubmissionId { get; init; }
    public string? MacosCertP12 { get; init; }
    public string? MacosCertPassword { get; init; }
    public string? R2AccessKeyId { get; init; }
    public string? R2SecretAccessKey { get; init; }
    public string? R2Bucket { get; init; }
    public string? R2Endpoint { get; init; }
    public string? R2Path { get; init; }
    public bool ForceUpload { get; init; }
    public string? Artifact { get; init; }
    public string? PreflightJson { get; init; }
    public string? Requirements { get; init; }
    public string? AppSource { get; init; }
    public string? AppPackage { get; init; }
    public string? AppPatches { get; init; }
    public string? MlxWheel { get; init; }
    public string? MlxLmWheel { get; init; }
    /// <summary>As typed, one string; the steps read <see cref="PipArguments"/>.</summary>
    public string? PipArgs { get; init; }

    /// <summary>PIP_ARGS split on whitespace, as a shell would without quotes ("--no-index --find-links DIR").</summary>
    public IReadOnlyList<string> PipArguments => PipArgs?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];
    public bool VendorViaWheels { get; init; }
    public string? ReportPackages { get; init; }

    /// <summary>REPORT_PACKAGES split on commas and whitespace.</summary>
    public IReadOnlyList<string> ReportPackageNames => ReportPackages?.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries) ?? [];
    public string AppName { get; init; } = DefaultAppName;
    public string AppModule { get; init; } = DefaultAppModule;
    /// <summary>As typed: warn or fail. Bundle reads <see cref="LicenseMode"/>.</summary>
    public string LicensePolicy { get; init; } = "warn";

    public LicensePolicyMode LicenseMode => LicensePolicyNames.Parse(LicensePolicy) ?? LicensePolicyMode.Warn;

    /// <summary>C compiler for the launcher; null for clang on macOS, cc elsewhere.</summary>
    public string? Cc { get; init; }

    /// <summary>zlib level of the tarball, 1 to 9; null for Packaging's measured default.</summary>
    public int? GzipLevel { get; init; }

    /// <remarks>NOTARY_KEY is a secret only when it holds the key itself rather than a path to it.</remarks>
    public IEnumerable<string?> Secrets =>
        [AppleAppSpecificPassword, R2SecretAccessKey, MacosCertP12, MacosCertPassword, IsNotaryKeyContent(NotaryKey) ? NotaryKey : null];

    /// <summary>NOTARY_KEY holds the .p8 key itself (a CI secret) rather than the path of one.</summary>
    public static bool IsNotaryKeyContent(string? key) => key?.Contains("PRIVATE KEY-----", StringComparison.Ordinal) == true;

    private bool PrintMembers(System.Text.StringBuilder builder) => Tooling.Redacted.PrintMembers(this, builder,
        nameof(AppleAppSpecificPassword), nameof(R2SecretAccessKey), nameof(MacosCertP12), nameof(MacosCertPassword), nameof(NotaryKey), nameof(Secrets), nameof(R2Settings));

    public bool ImportsCertificate => !string.IsNullOrWhiteSpace(MacosCertP12);

    public bool IsAdHoc => SignId == AdHocIdentity;

    public IReadOnlyList<(string Name, string? Value)> R2Settings =>
    [
        (nameof(R2AccessKeyId), R2AccessKeyId),
        (nameof(R2SecretAccessKey), R2SecretAccessKey),
        (nameof(R2Bucket), R2Bucket),
        (nameof(R2Endpoint), R2Endpoint),
    ];

    public bool HasAnyR2Setting => R2Settings.Any(x => !string.IsNullOrWhiteSpace(x.Value));

    public bool HasCompleteR2Settings => R2Settings.All(x => !string.IsNullOrWhiteSpace(x.Value));

    /// <summary>
    /// Fills what the environment provides beyond NUKE's own binding: VERSION for callers that
    /// do not go through NUKE, and electron-builder's names for the same things (CSC_NAME for the
    /// signing identity, APPLE_API_KEY / APPLE_API_KEY_ID / APPLE_API_ISSUER / APPLE_KEYCHAIN_PROFILE
    /// for notarytool), so a team moving over keeps its secrets.
    /// </summary>
    /// <remarks>
    /// Blank values count as unset: a workflow_dispatch input left empty still reaches the build
    /// as an empty variable, and means "use the default".
    /// </remarks>
    public ReleaseSettings WithEnvironmentFallbacks(Func<string, string?> environment)
    {
        return this with
        {
            Version = FirstSet(Version, environment("VERSION")),
            SignId = FirstSet(SignId, environment("SIGN_ID"), environment("CSC_NAME")),
            AppName = FirstSet(AppName) ?? DefaultAppName,
            AppModule = FirstSet(AppModule) ?? DefaultAppModule,
            EmbeddedPython = FirstSet(EmbeddedPython),
            CpythonUrl = FirstSet(CpythonUrl),
            CpythonSha256 = FirstSet(CpythonSha256),
            Entitlements = FirstSet(Entitlements),
            AppleId = FirstSet(AppleId),
            AppleTeamId = FirstSet(AppleTeamId),
            AppleAppSpecificPassword = FirstSet(AppleAppSpecificPassword),
            NotaryKeychainProfile = FirstSet(NotaryKeychainProfile, environment("NOTARY_KEYCHAIN_PROFILE"), environment("APPLE_KEYCHAIN_PROFILE")),
            NotaryKey = FirstSet(NotaryKey, environment("NOTARY_KEY"), environment("APPLE_API_KEY")),
            NotaryKeyId = FirstSet(NotaryKeyId, environment("NOTARY_KEY_ID"), environment("APPLE_API_KEY_ID")),
            NotaryIssuer = FirstSet(NotaryIssuer, environment("NOTARY_ISSUER"), environment("APPLE_API_ISSUER")),
            NotaryTimeout = FirstSet(NotaryTimeout) ?? DefaultNotaryTimeout,
            NotarySubmissionId = FirstSet(NotarySubmissionId),
            MacosCertP12 = FirstSet(MacosCertP12),
            MacosCertPassword = FirstSet(MacosCertPassword),
            R2AccessKeyId = FirstSet(R2AccessKeyId),
            R2SecretAccessKey = FirstSet(R2SecretAccessKey),
            R2Bucket = FirstSet(R2Bucket),
            R2Endpoint = FirstSet(R2Endpoint),
            R2Path = FirstSet(R2Path),
            Requirements = FirstSet(Requirements),
            AppSource = FirstSet(AppSource),
            AppPackage = FirstSet(AppPackage),
            AppPatches = FirstSet(AppPatches),
            MlxWheel = FirstSet(MlxWheel),
            MlxLmWheel = FirstSet(MlxLmWheel),
            PipArgs = FirstSet(PipArgs),
            ReportPackages = FirstSet(ReportPackages),
            Artifact = FirstSet(Artifact),
            Variant = FirstSet(Variant) ?? BundleVariant.External.Name(),
            LicensePolicy = FirstSet(LicensePolicy) ?? "warn",
            PreflightJson = FirstSet(PreflightJson),
            Cc = FirstSet(Cc),
            // The name the benchmarks used before the parameter existed.
            GzipLevel = GzipLevel ?? (int.TryParse(environment("RELEASEKIT_GZIP_LEVEL"), out var level) ? level : null),
        };
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(x => !string.IsNullOrWhiteSpace(x))?.Trim();
}

