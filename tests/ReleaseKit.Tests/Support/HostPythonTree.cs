using ReleaseKit.Tests.Bundling;

namespace ReleaseKit.Tests.Support;

/// <summary>
/// A python home made from this machine's python3 as python-build-standalone lays one out:
/// bin/python3 -> python3.X (a copy of the interpreter) and a real copy of lib/python3.X, trimmed
/// of its test suites, with ensurepip (venv needs it) and pip as the only package in site-packages. Nothing in it points
/// outside the tree, so Bundle copies it as it would a downloaded one.
/// </summary>
public static class HostPythonTree
{
    private static readonly string[] Trimmed = ["test", "tests", "idlelib", "tkinter", "turtledemo", "lib2to3", "pydoc_data", "__pycache__"];

    public static async Task BuildAsync(string home)
    {
        var (executable, prefix) = await LauncherFixture.HostPython();
        var version = Path.GetFileName(executable);
        Directory.CreateDirectory(Path.Combine(home, "bin"));
        File.Copy(executable, Path.Combine(home, "bin", version));
        File.CreateSymbolicLink(Path.Combine(home, "bin", "python3"), version);

        var library = Path.Combine(prefix, "lib", version);
        Copy(library, Path.Combine(home, "lib", version), relative =>
            !relative.Split('/').Any(Trimmed.Contains) &&
            !(relative.StartsWith("site-packages/", StringComparison.Ordinal) && !relative.StartsWith("site-packages/pip", StringComparison.Ordinal)));
    }

    private static void Copy(string source, string target, Func<string, bool> include, string relative = "")
    {
        Directory.CreateDirectory(Path.Combine(target, relative));
        foreach (var entry in new DirectoryInfo(Path.Combine(source, relative)).EnumerateFileSystemInfos())
        {
            var path = Path.Combine(relative, entry.Name);
            if (!include(path))
                continue;
            if (entry.LinkTarget is { } link)
                File.CreateSymbolicLink(Path.Combine(target, path), link);
            else if (entry is DirectoryInfo)
                Copy(source, target, include, path);
            else
                File.Copy(entry.FullName, Path.Combine(target, path));
        }
    }
}
