using ReleaseKit.MachO;
using ReleaseKit.Python;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Bundling;

/// <summary>
/// Installs the app and its requirements into _vendor. With a python the build machine can run,
/// that python's own pip installs them (and compiles .pyc for it). Otherwise (a macOS python on
/// Linux) the host's pip downloads macOS arm64 wheels for the bundled python's version, which
/// are then unpacked. Either way pip takes wheels for the oldest supported macOS, not for the
/// build machine's: on macOS 26 pip would otherwise pick mlx's macosx_26_0 wheels, which do not
/// load on macOS 14 or 15.
/// </summary>
public sealed class Vendoring(ToolRunner runner)
{
    /// <summary>
    /// pip's platform tag for a minimum macOS. From macOS 11 on, tags carry only the major version
    /// (macosx_14_0_arm64), and pip admits every older tag below it, universal2 included.
    /// </summary>
    public static string PlatformTag(OsVersion minimum) => $"macosx_{minimum.Major}_{(minimum.Major >= 11 ? 0 : minimum.Minor)}_arm64";

    /// <summary>The build machine's python, whose pip downloads wheels (and builds the app's) when the bundled python cannot run here.</summary>
    public const string HostPython = "python3";

    public static bool CanRun(PythonInstallation python)
    {
        var format = BinaryFormat.ReadFollowingLinks(python.Interpreter);
        var hostArchitecture = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.X64 => "x86_64",
            var other => other.ToString(),
        };
        return OperatingSystem.IsMacOS()
            ? format.IsMachO && format.Architectures.Contains(hostArchitecture)
            : format.Kind == BinaryFormat.Elf && format.Architectures.Contains(hostArchitecture);
    }

    /// <param name="app">What pip installs as the app: a requirement (mlx-knife==2.0.4) or the path of a source copy.</param>
    public async Task InstallAsync(PythonInstallation python, string requirements, string app, string vendor, IReadOnlyList<string> pipArgs, bool viaWheels,
        OsVersion minimumMacOs, string work, CancellationToken cancellationToken)
    {
        var platform = PlatformTag(minimumMacOs);
        // Building the app's own wheel first lets the rest be wheels only, which pip demands of a --platform install.
        var builder = viaWheels ? HostPython : python.Interpreter;
        var wheels = Directory.CreateDirectory(Path.Combine(work, "wheels")).FullName;
        if (Directory.Exists(app))
        {
            await new Pip(runner, builder).WheelAsync(["--no-deps", "--no-input", "--wheel-dir", wheels, app, .. pipArgs], cancellationToken);
            app = Directory.GetFiles(wheels, "*.whl").Single();
        }

        if (!viaWheels)
        {
            Log.Information("Installing the app and its requirements with the bundled python's pip, wheels for {Platform}", platform);
            await new Pip(runner, python.Interpreter).InstallAsync(["--target", vendor, "--no-input", "--no-compile", "--only-binary=:all:", "--platform", platform,
                "-r", requirements, app, .. pipArgs], cancellationToken);
            return;
        }

        Log.Information("Vendoring through {Platform} wheels for CPython {Version} (the bundled python cannot run here)", platform, python.Version);
        await new Pip(runner, HostPython).DownloadAsync([
            "--no-input", "--only-binary=:all:", "--platform", platform,
            "--python-version", python.Version, "--implementation", "cp",
            "--dest", wheels, "-r", requirements, app, .. pipArgs,
        ], cancellationToken);

        foreach (var wheel in Directory.GetFiles(wheels, "*.whl").Order(StringComparer.Ordinal))
            WheelUnpacker.Unpack(wheel, vendor);
    }

    /// <summary>
    /// Writes unchecked-hash .pyc files (PEP 552) with the bundled python. Timestamp-based ones would
    /// be stale once Package sets every modification time to SOURCE_DATE_EPOCH, and a signed bundle
    /// cannot rewrite them, so python would compile every module again on each start.
    /// The files record the path each source will have in the shipped tarball (the build folder
    /// stripped, <paramref name="shippedAs"/> put in front): the build folder's name holds a
    /// process id, and would make two builds of the same inputs differ in every .pyc.
    /// </summary>
    public async Task CompileAsync(PythonInstallation python, IEnumerable<string> directories, string buildFolder, string shippedAs, CancellationToken cancellationToken)
    {
        // Never through a link: in a bundle that would write into somebody else's python.
        var real = directories.Where(x => Directory.Exists(x) && new DirectoryInfo(x).LinkTarget is null).ToArray();
        if (real.Length == 0)
            return;
        await new PythonInterpreter(runner, python.Interpreter).CompileAllAsync(real, buildFolder, shippedAs, cancellationToken);
        Log.Information("Compiled hash-based .pyc files in {Directories}", string.Join(", ", real.Select(Path.GetFileName)));
    }
}
