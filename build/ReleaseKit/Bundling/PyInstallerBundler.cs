using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Bundling;

/// <summary>
/// dist/&lt;AppName&gt;/ built by PyInstaller (onedir: the executable plus _internal/), from a
/// build virtualenv made with the resolved python, so the frozen interpreter is the bundled one.
/// </summary>
public sealed class PyInstallerBundler(ToolRunner runner)
{
    public async Task<BuiltBundle> BuildAsync(BundleInputs inputs, BundleLayout layout, CancellationToken cancellationToken)
    {
        var output = layout.Folder;
        if (!Vendoring.CanRun(inputs.Python))
            throw new ReleaseException($"The pyinstaller variant runs the bundled python ({inputs.Python.Interpreter}) to freeze the app, and it cannot run on this machine: build it on an Apple Silicon Mac, or use --variant external");

        var parent = Path.GetDirectoryName(output)!;
        Directory.CreateDirectory(parent);
        var work = Path.Combine(parent, $".{inputs.AppName}.work-{Environment.ProcessId}");
        ExternalBundler.DeleteIfPresent(output);
        ExternalBundler.DeleteIfPresent(work);
        Directory.CreateDirectory(work);
        try
        {
            var venv = Path.Combine(work, "venv");
            await new PythonInterpreter(runner, inputs.Python.Interpreter).CreateVenvAsync(venv, cancellationToken);
            var requirements = Path.Combine(work, "requirements.txt");
            inputs.Requirements.Write(requirements);
            await new Pip(runner, Path.Combine(venv, "bin", "python")).InstallAsync(["--no-input", "pyinstaller", .. inputs.PipArgs], cancellationToken);
            // The app and its requirements as the external variant takes them: wheels for the oldest supported macOS.
            var site = Directory.GetDirectories(Path.Combine(venv, "lib")).Select(x => Path.Combine(x, "site-packages")).First(Directory.Exists);
            await new Vendoring(runner).InstallAsync(inputs.Python with { Interpreter = Path.Combine(venv, "bin", "python") }, requirements, inputs.App, site,
                inputs.PipArgs, viaWheels: false, inputs.MinimumMacOs, work, cancellationToken);

            var entry = Path.Combine(work, "entry.py");
            await File.WriteAllTextAsync(entry, $"import runpy\nrunpy.run_module(\"{inputs.AppModule}\", run_name=\"__main__\", alter_sys=True)\n", cancellationToken);
            var dist = Path.Combine(work, "dist");
            // Every distribution of the app keeps its metadata in _internal, so the notices and the SBOM see them all.
            var metadata = Inventory.PythonDistributions.Read(site).Select(x => x.NormalizedName).Where(x => !BuildTools.Contains(x));
            await new PyInstaller(runner, Path.Combine(venv, "bin", "pyinstaller")).BuildAsync(Arguments(inputs.AppName, inputs.AppModule, entry, dist, work, metadata), cancellationToken);

            var frozen = layout.At(Path.Combine(dist, inputs.AppName));
            var built = frozen.Folder;
            var internals = frozen.Internal;
            if (!Directory.Exists(internals) || !File.Exists(frozen.Launcher))
                throw new ReleaseException($"pyinstaller finished without {inputs.AppName}/{inputs.AppName} and {inputs.AppName}/_internal/ in {dist}: see its output above");
            ExternalBundler.EnsureLibMlx(internals, inputs.Requirements);
            VersionReport.Ensure(internals, inputs.Requirements, inputs.ReportPackages);
            var distributions = Inventory.PythonDistributions.Read(internals);
            Inventory.ThirdPartyNotices.Write(built, inputs.AppName, inputs.Python.Version,
                Path.Combine(inputs.Python.Directory, "lib", $"python{inputs.Python.Version}", "LICENSE.txt"), distributions);

            Directory.Move(built, output);
            Log.Information("Bundle ready: {Bundle}", output);
            return new BuiltBundle(layout, distributions);
        }
        finally
        {
            ExternalBundler.DeleteIfPresent(work);
        }
    }

    /// <summary>What the build virtualenv holds only to freeze the app; none of it is the app's.</summary>
    private static readonly string[] BuildTools = ["pip", "setuptools", "wheel", "pyinstaller", "pyinstaller-hooks-contrib", "altgraph", "macholib"];

    /// <summary>
    /// onedir, so libraries stay separate files that can each be signed; mlx's libmlx.dylib is a
    /// binary PyInstaller's analysis cannot see, and the module is named only in a string (runpy).
    /// </summary>
    public static IReadOnlyList<string> Arguments(string appName, string module, string entry, string dist, string work, IEnumerable<string> copyMetadata) =>
    [
        "--noconfirm", "--clean", "--onedir",
        "--name", appName,
        "--distpath", dist,
        "--workpath", Path.Combine(work, "build"),
        "--specpath", work,
        "--collect-all", "pydantic_core",
        "--collect-binaries", "mlx",
        "--collect-submodules", module.Split('.')[0],
        "--hidden-import", module,
        .. copyMetadata.SelectMany(x => new[] { "--copy-metadata", x }),
        entry,
    ];
}
