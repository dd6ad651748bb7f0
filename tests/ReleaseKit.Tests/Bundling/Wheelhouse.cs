using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Bundling;

/// <summary>
/// The packages a bundle test installs, as real wheels: fake mlx (with libmlx.dylib) and mlx-lm,
/// the app (mlx-knife, module mlxk2.cli), and a fake pyinstaller that writes the onedir layout
/// real PyInstaller would, with its argv recorded in _internal/pyinstaller-argv.json.
/// </summary>
public static class Wheelhouse
{
    public const string AppCli = """
        import sys
        from mlxk2 import __version__

        def main():
            if sys.argv[1:] == ["--version"]:
                print("mlxk2 " + __version__)
            else:
                print("mlxk2 args", *sys.argv[1:])

        if __name__ == "__main__":
            main()
        """;

    public const string FakePyInstaller = """
        import importlib.metadata, json, os, shutil, sys

        def main():
            args = sys.argv[1:]
            def value(flag):
                return [args[i + 1] for i, a in enumerate(args) if a == flag]
            name, dist = value("--name")[0], value("--distpath")[0]
            internal = os.path.join(dist, name, "_internal")
            os.makedirs(internal)
            # The test reads the argv back from the bundle this fake builds.
            with open(os.path.join(internal, "pyinstaller-argv.json"), "w") as log:
                json.dump(args, log)
            with open(os.path.join(dist, name, name), "w") as exe:
                exe.write("#!/bin/sh\n")
            for package in value("--copy-metadata"):
                info = importlib.metadata.distribution(package)._path
                shutil.copytree(info, os.path.join(internal, os.path.basename(info)))
            for package in value("--collect-binaries"):
                root = os.path.dirname(importlib.import_module(package).__file__)
                for folder, _, files in os.walk(root):
                    for file in files:
                        if file.endswith(".dylib"):
                            target = os.path.join(internal, package, os.path.relpath(folder, root))
                            os.makedirs(target, exist_ok=True)
                            shutil.copy(os.path.join(folder, file), target)
        """;

    public static void Build(string directory)
    {
        Mlx(directory, "0.30.0rc1");
        WheelBuilder.Build(directory, "mlx-lm", "0.28.3", new Dictionary<string, string> { ["mlx_lm/__init__.py"] = "" }, ["mlx"]);
        WheelBuilder.Build(directory, "mlx-knife", "2.0.4", new Dictionary<string, string>
        {
            ["mlxk2/__init__.py"] = "__version__ = \"2.0.4\"\n",
            ["mlxk2/cli.py"] = AppCli,
        }, ["mlx-lm"]);
        WheelBuilder.Build(directory, "pyinstaller", "6.11.0", new Dictionary<string, string> { ["fake_pyinstaller.py"] = FakePyInstaller },
            consoleScripts: "pyinstaller = fake_pyinstaller:main");
    }

    public static string Mlx(string directory, string version) =>
        WheelBuilder.Build(directory, "mlx", version, new Dictionary<string, string>
        {
            ["mlx/__init__.py"] = $"__version__ = \"{version}\"\n",
            ["mlx/lib/libmlx.dylib"] = "not really a dylib",
        });
}
