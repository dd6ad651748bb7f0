using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Bundling;

/// <summary>
/// dist-ext-python/&lt;AppName&gt;/: python/ (a copy of the embedded python), _vendor/ (the app and
/// its requirements) and the native launcher, built in a sibling folder and renamed into place
/// only when complete.
/// </summary>
public sealed class ExternalBundler(ToolRunner runner, LauncherPlatform launcherPlatform)
{
    public async Task<BuiltBundle> BuildAsync(BundleInputs inputs, BundleLayout layout, CancellationToken cancellationToken)
    {
        var output = layout.Folder;
        var parent = Path.GetDirectoryName(output)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{inputs.AppName}.building-{Environment.ProcessId}");
        var work = Path.Combine(parent, $".{inputs.AppName}.work-{Environment.ProcessId}");
        // Starts clean: a failed build must not leave last run's bundle looking current.
        DeleteIfPresent(output);
        DeleteIfPresent(staging);
        DeleteIfPresent(work);
        Directory.CreateDirectory(work);

        try
        {
            var building = layout.At(staging);
            var copied = TreeCopier.Copy(inputs.Python.Directory, building.Python, $"The python to bundle ({inputs.Python.Directory})");
            Log.Information("Copied python {Version} ({Count} entries)", inputs.Python.Version, copied);

            var vendor = Directory.CreateDirectory(building.Vendor).FullName;
            var requirements = Path.Combine(work, "requirements.txt");
            inputs.Requirements.Write(requirements);
            var vendoring = new Vendoring(runner);
            await vendoring.InstallAsync(inputs.Python, requirements, inputs.App, vendor, inputs.PipArgs, inputs.ViaWheels, inputs.MinimumMacOs, work, cancellationToken);
            if (!inputs.ViaWheels)
                await vendoring.CompileAsync(inputs.Python, [vendor, building.PythonLibrary(inputs.Python.Version)],
                    staging, inputs.AppName, cancellationToken);
            EnsureLibMlx(vendor, inputs.Requirements);
            VersionReport.Ensure(vendor, inputs.Requirements, inputs.ReportPackages);
            // Before signing: the notices ship inside the bundle and are covered by its signature record.
            var distributions = Inventory.PythonDistributions.Read(building.Sites);
            Inventory.ThirdPartyNotices.Write(staging, inputs.AppName, inputs.Python.Version,
                Path.Combine(building.PythonLibrary(inputs.Python.Version), "LICENSE.txt"), distributions);

            await new LauncherCompiler(runner).CompileAsync(
                inputs.LauncherSource, building.Launcher, inputs.AppName, inputs.AppModule,
                launcherPlatform, inputs.Compiler, cancellationToken);
            if (inputs.License is not null)
                File.Copy(inputs.License, Path.Combine(staging, "LICENSE"));

            Directory.Move(staging, output);
            Log.Information("Bundle ready: {Bundle}", output);
            return new BuiltBundle(layout, distributions);
        }
        finally
        {
            DeleteIfPresent(staging);
            DeleteIfPresent(work);
        }
    }

    /// <summary>mlx is only usable with its native library; a wheel for the wrong platform installs without it.</summary>
    public static void EnsureLibMlx(string site, RequirementsFile requirements)
    {
        if (requirements.Find("mlx") is null)
            return;
        if (!Directory.EnumerateFiles(site, "libmlx.dylib", SearchOption.AllDirectories).Any())
            throw new ReleaseException($"mlx is required but no libmlx.dylib landed under {site}: the mlx wheel is not a macOS arm64 build (check --mlx-wheel and PIP_ARGS)");
    }

    internal static void DeleteIfPresent(string path)
    {
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }
}
