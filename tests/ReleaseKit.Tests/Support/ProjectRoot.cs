namespace ReleaseKit.Tests.Support;

/// <summary>The repository root, found the way NUKE finds it: the nearest folder holding a .nuke directory.</summary>
public static class ProjectRoot
{
    public static string Path { get; } = Find();

    public static string File(string relative) => System.IO.Path.Combine(Path, relative);

    public static string Read(string relative) => System.IO.File.ReadAllText(File(relative));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(System.IO.Path.Combine(directory.FullName, ".nuke")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No .nuke directory above {AppContext.BaseDirectory}");
    }
}
