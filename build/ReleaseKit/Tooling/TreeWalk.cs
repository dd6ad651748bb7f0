namespace ReleaseKit.Tooling;

/// <summary>
/// Walks a folder without following symlinks. .NET's recursive enumeration descends into
/// symlinked folders, which would list python/lib/current/* beside the link python/lib/current.
/// </summary>
public static class TreeWalk
{
    public static IEnumerable<(string Relative, FileSystemInfo Info)> Entries(string directory)
    {
        var pending = new Stack<(string Relative, DirectoryInfo Directory)>();
        pending.Push(("", new DirectoryInfo(directory)));
        while (pending.Count > 0)
        {
            var (prefix, current) = pending.Pop();
            foreach (var entry in current.EnumerateFileSystemInfos())
            {
                var relative = prefix.Length == 0 ? entry.Name : $"{prefix}/{entry.Name}";
                yield return (relative, entry);
                if (entry is DirectoryInfo child && entry.LinkTarget is null)
                    pending.Push((relative, child));
            }
        }
    }

    /// <summary>
    /// What a bundle ships: every entry except AppleDouble (._*) files, by path in ordinal order.
    /// The tarball, the signing record and its fingerprint all read the tree through this.
    /// </summary>
    public static IEnumerable<(string Relative, FileSystemInfo Info)> Shipped(string directory) =>
        Entries(directory)
            .Where(x => !x.Info.Name.StartsWith("._", StringComparison.Ordinal))
            .OrderBy(x => x.Relative, StringComparer.Ordinal);
}
