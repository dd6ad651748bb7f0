using System.Diagnostics;
using ReleaseKit.Bundling;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Bundling;

/// <summary>
/// Compiles the launcher once with the machine's C compiler and builds a bundle around it:
/// python/bin/python3 -> python3.X (a copy of this machine's interpreter, its lib/ linked in)
/// and a test module as _vendor/mlxk2/cli.py.
/// </summary>
public sealed class LauncherFixture : IAsyncLifetime
{
    public const string TestModule = """
        import json, os, signal, sys

        command = sys.argv[1]
        if command == "env":
            keys = ["MLXK2_SUPERVISE", "PYTHONHOME", "PYTHONPATH", "PYTHONNOUSERSITE", "PYTHONEXECUTABLE",
                    "MLXK_PYTHON", "RESOURCES_PATH", "PATH", "PYTHONPYCACHEPREFIX", "PYTHONUNBUFFERED"]
            print(json.dumps({"argv": sys.argv[1:], "env": {k: os.environ.get(k) for k in keys},
                              "prefix": sys.prefix, "ppid": os.getppid(), "path": sys.path,
                              "version": list(sys.version_info[:2]), "main": sys.modules["__main__"].__spec__.name,
                              "json": json.__file__}))
        elif command == "exit":
            sys.exit(int(sys.argv[2]))
        elif command == "kill-self":
            os.kill(os.getpid(), int(sys.argv[2]))
        elif command == "signals":
            # Records every terminating signal and keeps running until stdin closes.
            record = sys.argv[2]
            def handle(number, frame):
                name = signal.Signals(number).name
                with open(record, "a") as out:
                    out.write(name + "\n")
                print("got " + name, flush=True)
            for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
                signal.signal(s, handle)
            print("ready", flush=True)
            sys.stdin.read()
        elif command == "wait":
            print("ready", flush=True)
            sys.stdin.read()
        """;

    private readonly TempDirectory _directory = new("launcher");

    public string Root => _directory.Path;

    public string BundleRoot => _directory["bundle"];

    public string Launcher => Path.Combine(BundleRoot, "msty-mlx-studio");

    public string Python => Path.Combine(BundleRoot, "python", "bin", "python3");

    public string Source => ProjectRoot.File("launcher/launcher.c");

    public async Task InitializeAsync()
    {
        await BuildBundle(BundleRoot);
        await Compile(Launcher, "mlxk2.cli");
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    public Task<string> Compile(string output, string module, string? compiler = null) =>
        new LauncherCompiler(new ToolRunner(new SecretMasker()))
            .CompileAsync(Source, output, "msty-mlx-studio", module, LauncherPlatform.Host, compiler);

    /// <summary>A bundle whose python is a real copy of this machine's interpreter (or <paramref name="interpreter"/>), so PYTHONHOME points into it.</summary>
    public static async Task BuildBundle(string root, string interpreter = "python3")
    {
        await BuildPython(Path.Combine(root, "python"), interpreter);

        var package = Directory.CreateDirectory(Path.Combine(root, "_vendor", "mlxk2")).FullName;
        File.WriteAllText(Path.Combine(package, "__init__.py"), "");
        File.WriteAllText(Path.Combine(package, "cli.py"), TestModule);
    }

    /// <summary>A python home: bin/python3 -> python3.X, a copy of this machine's interpreter, with its lib/ entries linked.</summary>
    public static async Task BuildPython(string home, string interpreter = "python3")
    {
        var (executable, prefix) = await HostPython(interpreter);
        var bin = Directory.CreateDirectory(Path.Combine(home, "bin")).FullName;
        var lib = Directory.CreateDirectory(Path.Combine(home, "lib")).FullName;
        File.Copy(executable, Path.Combine(bin, Path.GetFileName(executable)));
        File.CreateSymbolicLink(Path.Combine(bin, "python3"), Path.GetFileName(executable));
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine(prefix, "lib")))
            File.CreateSymbolicLink(Path.Combine(lib, Path.GetFileName(entry)), entry);
    }

    /// <summary>This machine's real python3 interpreter (symlinks resolved) and its prefix.</summary>
    public static async Task<(string Executable, string Prefix)> HostPython(string interpreter = "python3")
    {
        var info = new ProcessStartInfo(interpreter, ["-c", "import os, sys; print(os.path.realpath(sys.executable)); print(sys.base_prefix)"])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(info)!;
        var lines = (await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await process.WaitForExitAsync();
        return (lines[0], lines[1]);
    }
}
