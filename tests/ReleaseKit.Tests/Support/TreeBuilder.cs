namespace ReleaseKit.Tests.Support;

/// <summary>Builds file trees with the features archives must keep: modes, symlinks, hard links, dot-files, long paths.</summary>
public static class TreeBuilder
{
    public static readonly DateTime FixedTime = new(2025, 7, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>A small python-build-standalone-shaped tree under <paramref name="root"/>/python.</summary>
    public static void PythonLike(string root)
    {
        var python = Path.Combine(root, "python");
        File(python, "bin/python3.12", "#!/bin/sh\necho fake python\n", Executable);
        Symlink(python, "bin/python3", "python3.12");
        Symlink(python, "bin/python", "python3.12");
        File(python, "lib/libpython3.12.dylib", new string('x', 5000), Executable);
        File(python, "lib/python3.12/os.py", "# os\n", Regular);
        File(python, "lib/python3.12/__pycache__/os.cpython-312.pyc", "pyc", Regular);
        File(python, "lib/python3.12/site-packages/pkg/.dylibs/libdep.dylib", "dep", Executable);
        File(python, "lib/python3.12/.pyre_configuration", "{}", Regular);
        File(python, "lib/python3.12/empty.txt", "", Regular);
        File(python, "lib/python3.12/" + new string('d', 90) + "/" + new string('f', 90) + ".py", "long", Regular);
        Directory.CreateDirectory(Path.Combine(python, "include", "empty-dir"));
        File(python, "share/readonly/README", "ro", (UnixFileMode)0x124);
        System.IO.File.SetUnixFileMode(Path.Combine(python, "share/readonly"), (UnixFileMode)0x16D);
        File(python, "bin/hardlinked-a", "same inode", Executable);
        Shell.Run("ln", Path.Combine(python, "bin/hardlinked-a"), Path.Combine(python, "bin/hardlinked-b"));
    }

    /// <summary>The smallest home FetchPython accepts for an arm64 macOS python: bin/python3 -> python3.12 (a Mach-O header) and lib/python3.12/os.py.</summary>
    public static string MacOsPython(string home)
    {
        System.IO.File.WriteAllBytes(File(home, "bin/python3.12", "", Executable), MachOFiles.Thin(MachOFiles.Arm64));
        Symlink(home, "bin/python3", "python3.12");
        File(home, "lib/python3.12/os.py", "", Regular);
        return home;
    }

    public const UnixFileMode Regular = (UnixFileMode)0x1A4;     // 0644
    public const UnixFileMode Executable = (UnixFileMode)0x1ED;  // 0755

    public static string File(string root, string relative, string content, UnixFileMode mode)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        System.IO.File.SetUnixFileMode(path, mode);
        System.IO.File.SetLastWriteTimeUtc(path, FixedTime);
        return path;
    }

    public static void Symlink(string root, string relative, string target)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.CreateSymbolicLink(path, target);
    }

    /// <summary>Every entry below root with its kind, mode, link target or content hash: equal trees give equal lists.</summary>
    public static IReadOnlyList<string> Describe(string root, bool withTimes = true)
    {
        return ReleaseKit.Tooling.TreeWalk.Entries(root)
            .Select(x => x.Info.FullName)
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                var relative = Path.GetRelativePath(root, path);
                var info = new FileInfo(path);
                if (info.LinkTarget is { } target)
                    return $"{relative} -> {target}";
                var mode = System.IO.File.GetUnixFileMode(path);
                if (Directory.Exists(path))
                    return $"{relative}/ {mode}";
                var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(path)))[..12];
                return withTimes ? $"{relative} {mode} {hash} {info.LastWriteTimeUtc:O}" : $"{relative} {mode} {hash}";
            })
            .ToArray();
    }
}
