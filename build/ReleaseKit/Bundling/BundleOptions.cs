using System.Text.RegularExpressions;
using ReleaseKit.Inventory;
using ReleaseKit.Settings;
using ReleaseKit.Tooling;

namespace ReleaseKit.Bundling;

/// <summary>The app to bundle: a local project (copied, patched, stamped with the version), or a pip requirement.</summary>
public abstract record AppOrigin;

/// <param name="InsteadOf">The --app-package the project replaces (.nuke/parameters.json keeps a default one), for the log.</param>
public sealed record AppProject(string Directory, string? Patches, string? InsteadOf) : AppOrigin;

public sealed record AppRequirement(string Requirement) : AppOrigin;

/// <summary>Bundle's options, parsed once from <see cref="BundleParameters"/>.</summary>
public sealed partial record BundleOptions
{
    public required BundleVariant Variant { get; init; }
    public required string AppModule { get; init; }
    public required AppOrigin App { get; init; }

    /// <summary>requirements.txt of the app's runtime dependencies.</summary>
    public required string Requirements { get; init; }

    /// <summary>Custom mlx / mlx-lm wheels that replace their lines of requirements.txt.</summary>
    public IReadOnlyList<string> Wheels { get; init; } = [];
    public IReadOnlyList<string> PipArguments { get; init; } = [];
    public bool VendorViaWheels { get; init; }
    public IReadOnlyList<string> ReportPackages { get; init; } = [];
    public LicensePolicyMode LicensePolicy { get; init; }

    /// <summary>The C compiler for the launcher; null for clang on macOS, cc elsewhere.</summary>
    public string? Compiler { get; init; }

    /// <summary>The module the launcher runs unless --app-module says otherwise: mlx-knife's command line.</summary>
    public const string DefaultAppModule = "mlxk2.cli";

    public static Parsed<BundleOptions> Parse(BundleParameters parameters, string rootDirectory)
    {
        var problems = new List<string>();

        var variant = BundleVariantNames.Parse(SettingText.FirstSet(parameters.Variant) ?? BundleVariant.External.Name());
        if (variant is null)
            problems.Add($"{SettingName.Describe(nameof(parameters.Variant))} is '{parameters.Variant}': use {string.Join(" or ", BundleVariantNames.All)}");

        var policy = LicensePolicyNames.Parse(SettingText.FirstSet(parameters.LicensePolicy) ?? LicensePolicyMode.Warn.Name());
        if (policy is null)
            problems.Add($"{SettingName.Describe(nameof(parameters.LicensePolicy))} is '{parameters.LicensePolicy}': use {string.Join(" or ", LicensePolicyNames.All)}");

        var module = SettingText.FirstSet(parameters.AppModule) ?? DefaultAppModule;
        if (!ModulePattern().IsMatch(module))
            problems.Add($"{SettingName.Describe(nameof(parameters.AppModule))} is '{module}': use a dotted Python module name such as {DefaultAppModule}");

        var app = ParseApp(parameters, problems);

        var requirements = SettingText.FirstSet(parameters.Requirements) ?? Path.Combine(rootDirectory, "requirements.txt");
        if (!File.Exists(requirements))
            problems.Add($"{SettingName.Describe(nameof(parameters.Requirements))}: {requirements} does not exist");

        var wheels = new List<string>();
        foreach (var (name, value) in new[] { (nameof(parameters.MlxWheel), parameters.MlxWheel), (nameof(parameters.MlxLmWheel), parameters.MlxLmWheel) })
        {
            if (SettingText.FirstSet(value) is not { } wheel)
                continue;
            if (!File.Exists(wheel) || !wheel.EndsWith(".whl", StringComparison.Ordinal))
                problems.Add($"{SettingName.Describe(name)} points to '{wheel}', which is not an existing .whl file");
            wheels.Add(wheel);
        }

        var compiler = SettingText.FirstSet(parameters.Cc);
        var viaWheels = parameters.VendorViaWheels || !OperatingSystem.IsMacOS();
        // Known before anything runs: the compiler only builds the external variant's launcher, patch only applies --app-patches,
        // and the host's python only vendors when the bundled one cannot run here (always off macOS, where it is a macOS binary).
        ExternalTool[] tools =
        [
            .. variant == BundleVariant.PyInstaller ? [] : new[] { CCompiler.Tool(compiler ?? LauncherCompiler.DefaultCompiler(LauncherCompiler.PlatformOfThisMachine)) },
            .. app is AppProject { Patches: not null } ? new[] { Patch.Tool } : [],
            .. viaWheels ? new[] { Pip.Tool(Vendoring.HostPython) } : [],
        ];

        if (problems.Count > 0 || variant is not { } bundleVariant || policy is not { } licensePolicy || app is null)
            return Parsed.Invalid<BundleOptions>(problems, tools);

        return Parsed.Valid(new BundleOptions
        {
            Variant = bundleVariant,
            AppModule = module,
            App = app,
            Requirements = requirements,
            Wheels = wheels,
            PipArguments = parameters.PipArgs?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [],
            VendorViaWheels = parameters.VendorViaWheels,
            ReportPackages = parameters.ReportPackages?.Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries) ?? [],
            LicensePolicy = licensePolicy,
            Compiler = compiler,
        }, tools);
    }

    private static AppOrigin? ParseApp(BundleParameters parameters, List<string> problems)
    {
        var source = SettingText.FirstSet(parameters.AppSource);
        var package = SettingText.FirstSet(parameters.AppPackage);
        var patches = SettingText.FirstSet(parameters.AppPatches);

        if (patches is not null && !Directory.Exists(patches))
            problems.Add($"{SettingName.Describe(nameof(parameters.AppPatches))} points to '{patches}', which is not a folder of *.patch files");

        // A source folder wins over the package: .nuke/parameters.json keeps a default APP_PACKAGE.
        if (source is not null)
        {
            if (!Directory.Exists(source))
                problems.Add($"{SettingName.Describe(nameof(parameters.AppSource))} points to '{source}', which is not a folder");
            return new AppProject(source, patches, package);
        }

        if (patches is not null)
            problems.Add($"{SettingName.Describe(nameof(parameters.AppPatches))} patches the app's source: it needs {SettingName.Describe(nameof(parameters.AppSource))}");
        if (package is null)
        {
            problems.Add($"Bundle needs the app: {SettingName.Describe(nameof(parameters.AppSource))} (a local project) or {SettingName.Describe(nameof(parameters.AppPackage))} (a requirement such as mlx-knife==2.0.4)");
            return null;
        }

        return new AppRequirement(package);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex ModulePattern();
}
