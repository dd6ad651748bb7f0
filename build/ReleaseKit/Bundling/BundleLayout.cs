using ReleaseKit.MachO;
using ReleaseKit.Tooling;

namespace ReleaseKit.Bundling;

/// <summary>
/// Where everything is in a bundle of one variant: its folder, the launcher, the embedded python,
/// the installed packages and the executables. Bundle builds to it, and Sign, Notarize, Package
/// and Verify ask it instead of spelling python/, _vendor/ or _internal/ themselves.
/// </summary>
/// <param name="Folder">The bundle folder: dist-ext-python/&lt;AppName&gt;/, dist/&lt;AppName&gt;/, or wherever it was built or extracted.</param>
/// <param name="AppName">The product's name, which is also the launcher's.</param>
public sealed record BundleLayout(BundleVariant Variant, string Folder, string AppName)
{
    /// <summary>The bundle a release of this variant builds under the project root.</summary>
    public static BundleLayout InProject(string rootDirectory, BundleVariant variant, string appName) =>
        new(variant, Path.Combine(rootDirectory, OutputFolderOf(variant), appName), appName);

    /// <summary>The folders under the project root that hold bundles, one per variant: what Clean removes.</summary>
    public static IReadOnlyList<string> OutputFolders(string rootDirectory) =>
        Enum.GetValues<BundleVariant>().Select(x => Path.Combine(rootDirectory, OutputFolderOf(x))).ToArray();

    private static string OutputFolderOf(BundleVariant variant) => variant == BundleVariant.PyInstaller ? "dist" : "dist-ext-python";

    /// <summary>A bundle found on disk, such as one extracted from a tarball: PyInstaller's keeps everything in _internal/.</summary>
    public static BundleLayout Found(string folder, string appName) =>
        new(Directory.Exists(Path.Combine(folder, "_internal")) ? BundleVariant.PyInstaller : BundleVariant.External, folder, appName);

    /// <summary>The same layout in another folder, such as the staging folder a bundler fills before renaming it into place.</summary>
    public BundleLayout At(string folder) => this with { Folder = folder };

    public string Launcher => Path.Combine(Folder, AppName);

    /// <summary>The launcher; a bundle without it was not made by Bundle for this app name, and no later stage may ship it.</summary>
    public string RequireLauncher(string stage) =>
        File.Exists(Launcher)
            ? Launcher
            : Directory.Exists(Folder)
                ? throw new ReleaseException($"The bundle {Folder} has no launcher {AppName}, so {stage} cannot ship it: run Bundle again (with the same --app-name)")
                : throw new ReleaseException($"There is no bundle at {Folder} to {stage.ToLowerInvariant()}: run Bundle first");

    /// <summary>The embedded python of the external variant (PyInstaller's is frozen into _internal/).</summary>
    public string Python => Path.Combine(Folder, "python");

    /// <summary>The external variant's pip-installed app and requirements.</summary>
    public string Vendor => Path.Combine(Folder, "_vendor");

    /// <summary>Everything PyInstaller collected.</summary>
    public string Internal => Path.Combine(Folder, "_internal");

    /// <summary>The embedded python's standard library for a version such as 3.12.</summary>
    public string PythonLibrary(string version) => Path.Combine(Python, "lib", $"python{version}");

    /// <summary>The embedded python's version from its lib/python3.X folder; null when there is none (PyInstaller).</summary>
    public string? PythonVersion =>
        Directory.Exists(Path.Combine(Python, "lib"))
            ? Directory.EnumerateDirectories(Path.Combine(Python, "lib"), "python3.*").Select(x => Path.GetFileName(x)["python".Length..]).Order(StringComparer.Ordinal).FirstOrDefault()
            : null;

    /// <summary>
    /// The folders that hold installed Python distributions, each with its .dist-info: everything
    /// that ships, for the notices, the licence policy and the SBOM. For the external variant
    /// _vendor/ and the embedded python's own site-packages (python-build-standalone ships pip
    /// there); for PyInstaller _internal/.
    /// </summary>
    public IReadOnlyList<string> Sites
    {
        get
        {
            if (Variant == BundleVariant.PyInstaller)
                return [Internal];
            var lib = Path.Combine(Python, "lib");
            var pythons = Directory.Exists(lib)
                ? Directory.GetDirectories(lib, "python3*").Select(x => Path.Combine(x, "site-packages")).Where(Directory.Exists).Order(StringComparer.Ordinal).ToArray()
                : [];
            return [Vendor, .. pythons];
        }
    }

    /// <summary>
    /// The executables, as bundle-relative paths: the launcher and python's own binaries. They
    /// carry the entitlements, and under library validation every library must share their team.
    /// </summary>
    public IReadOnlyList<string> Executables
    {
        get
        {
            var pythonBin = Path.Combine(Python, "bin");
            return (Directory.Exists(pythonBin) ? MachOScanner.Find(pythonBin) : [])
                .Select(x => Path.GetRelativePath(Folder, x))
                .Append(AppName)
                .ToArray();
        }
    }
}
