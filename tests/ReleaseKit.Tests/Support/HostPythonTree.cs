using System.Diagnostics;
using System.Text.Json;

namespace ReleaseKit.Tests.Support;

/// <summary>
/// A python home made from this machine's python3 as python-build-standalone lays one out,
/// whatever the machine's layout: bin/python3 -> python3.X (a copy of the interpreter), a real
/// copy of its standard library (trimmed of test suites; links that leave it, such as Debian's
/// sitecustomize.py -> /etc/python3.X/, copied as files), and pip in lib/python3.X/site-packages,
/// taken from wherever this python keeps it (site-packages, or Debian's dist-packages). A Debian
/// interpreter does not read lib/python3.X/site-packages, so the copy then gets a sitecustomize
/// that adds it, as python-build-standalone's own interpreter reads it.
/// </summary>
public static class HostPythonTree
{
    private static readonly string[] Trimmed = ["test", "tests", "idlelib", "tkinter", "turtledemo", "lib2to3", "pydoc_data", "__pycache__", "site-packages", "dist-packages"];

    private const string Probe = """
        import importlib.metadata, json, os, site, sys, sysconfig
        pip = importlib.metadata.distribution("pip")
        print(json.dumps({
            "executable": os.path.realpath(sys.executable),
            "stdlib": sysconfig.get_paths()["stdlib"],
            "version": f"{sys.version_info[0]}.{sys.version_info[1]}",
            "pip": os.path.dirname(importlib.import_module("pip").__file__),
            "pipInfo": str(pip._path),
            "readsSitePackages": any(p.endswith("site-packages") for p in site.getsitepackages()),
        }))
        """;

    public static async Task BuildAsync(string home, string interpreter = "python3")
    {
        var info = new ProcessStartInfo(interpreter, ["-c", Probe]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        using var json = JsonDocument.Parse(await process.StandardOutput.ReadToEndAsync());
        await process.WaitForExitAsync();
        var probe = json.RootElement;
        string Get(string name) => probe.GetProperty(name).GetString()!;

        var version = "python" + Get("version");
        Directory.CreateDirectory(Path.Combine(home, "bin"));
        File.Copy(Get("executable"), Path.Combine(home, "bin", version));
        File.CreateSymbolicLink(Path.Combine(home, "bin", "python3"), version);

        var library = Path.Combine(home, "lib", version);
        Copy(Get("stdlib"), library, relative => !relative.Split('/').Any(Trimmed.Contains));
        var site = Path.Combine(library, "site-packages");
        Copy(Get("pip"), Path.Combine(site, "pip"), relative => !relative.Split('/').Contains("__pycache__"));
        Copy(Get("pipInfo"), Path.Combine(site, Path.GetFileName(Get("pipInfo"))), _ => true);
        if (!probe.GetProperty("readsSitePackages").GetBoolean())
        {
            File.Delete(Path.Combine(library, "sitecustomize.py"));
            File.WriteAllText(Path.Combine(library, "sitecustomize.py"),
                "import os, site, sys\nsite.addsitedir(os.path.join(sys.prefix, 'lib', f'python{sys.version_info[0]}.{sys.version_info[1]}', 'site-packages'))\n");
        }
    }

    /// <summary>Copies a tree; a link stays a link when it stays inside, and becomes a copy of its target when it leaves.</summary>
    private static void Copy(string source, string target, Func<string, bool> include, string relative = "")
    {
        Directory.CreateDirectory(Path.Combine(target, relative));
        foreach (var entry in new DirectoryInfo(Path.Combine(source, relative)).EnumerateFileSystemInfos())
        {
            var path = Path.Combine(relative, entry.Name);
            if (!include(path))
                continue;
            if (entry.LinkTarget is { } link && !Path.IsPathRooted(link) && !Path.GetFullPath(Path.Combine(Path.GetDirectoryName(entry.FullName)!, link)).StartsWith(source + "/", StringComparison.Ordinal))
                CopyResolved(entry, Path.Combine(target, path));
            else if (entry.LinkTarget is { } inside && !Path.IsPathRooted(inside))
                File.CreateSymbolicLink(Path.Combine(target, path), inside);
            else if (entry.LinkTarget is not null)
                CopyResolved(entry, Path.Combine(target, path));
            else if (entry is DirectoryInfo)
                Copy(source, target, include, path);
            else
                File.Copy(entry.FullName, Path.Combine(target, path));
        }
    }

    private static void CopyResolved(FileSystemInfo link, string target)
    {
        if (link.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true } file)
            File.Copy(file.FullName, target);
    }
}
