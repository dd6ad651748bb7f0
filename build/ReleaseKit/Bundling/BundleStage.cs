using ReleaseKit.Inventory;
using ReleaseKit.Python;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Bundling;

/// <summary>What Bundle built, and the packages its licence policy asks a person to review.</summary>
public sealed record BundleResult(BuiltBundle Bundle, IReadOnlyList<LicensePolicy.Finding> LicenseReview);

/// <summary>What Bundle takes from the project beside its options: the release's name and version, and where the launcher's source is.</summary>
/// <param name="License">The project's LICENSE, shipped in the bundle when there is one.</param>
/// <param name="WorkFolder">Where the copy of --app-source is made and patched; removed afterwards.</param>
public sealed record BundleProject(string AppName, string Version, OsVersion MinimumMacOs, string LauncherSource, string? License, string WorkFolder);

/// <summary>
/// The Bundle stage: the app (a copied, patched and stamped project, or a requirement) and its
/// requirements installed beside the python in the variant's layout, then the licence policy.
/// </summary>
public sealed class BundleStage(ToolRunner runner)
{
    public async Task<BundleResult> RunAsync(BundleOptions options, PythonInstallation python, BundleLayout layout, BundleProject project, CancellationToken cancellationToken)
    {
        var appCopy = Path.Combine(project.WorkFolder, "app-source");
        try
        {
            var inputs = await InputsAsync(options, python, project, appCopy, cancellationToken);
            var built = options.Variant == BundleVariant.PyInstaller
                ? await new PyInstallerBundler(runner).BuildAsync(inputs, layout, cancellationToken)
                : await new ExternalBundler(runner, LauncherCompiler.PlatformOfThisMachine).BuildAsync(inputs, layout, cancellationToken);
            return new BundleResult(built, LicensePolicy.Review(built.Layout.Folder, built.Distributions, options.LicensePolicy));
        }
        finally
        {
            if (Directory.Exists(appCopy))
                Directory.Delete(appCopy, recursive: true);
        }
    }

    private async Task<BundleInputs> InputsAsync(BundleOptions options, PythonInstallation python, BundleProject project, string appCopy, CancellationToken cancellationToken)
    {
        var app = options.App switch
        {
            AppProject source => await CopyProjectAsync(source, project.Version, appCopy, cancellationToken),
            AppRequirement requirement => requirement.Requirement,
            _ => throw new InvalidOperationException($"Unknown app origin {options.App}"),
        };

        return new BundleInputs(
            python,
            project.AppName,
            options.AppModule,
            project.Version,
            RequirementsFile.Read(options.Requirements, options.Wheels),
            app,
            options.PipArguments,
            options.VendorViaWheels || !Vendoring.CanRun(python),
            options.ReportPackages,
            project.LauncherSource,
            project.License)
        {
            Compiler = options.Compiler,
            MinimumMacOs = project.MinimumMacOs,
        };
    }

    private async Task<string> CopyProjectAsync(AppProject source, string version, string appCopy, CancellationToken cancellationToken)
    {
        if (Directory.Exists(appCopy))
            Directory.Delete(appCopy, recursive: true);
        if (source.InsteadOf is { } package)
            Log.Information("The app comes from {AppSource}; the package {AppPackage} is not installed", source.Directory, package);
        return await AppSourceCopy.CreateAsync(runner, source.Directory, source.Patches, version, appCopy, cancellationToken);
    }
}
