using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Bundling;

/// <summary>
/// Copies a folder the way the bundle needs it: symlinks stay symlinks (python3 -> python3.12),
/// permission bits and modification times are kept (python checks each .pyc against its
/// source's mtime). Hard links become separate copies. Before anything is copied the whole tree
/// is checked: a link that is absolute or leads out of the folder would ship pointing at the
/// build machine (and Verify refuses such a tarball), so every one is named in one error.
/// Sockets, FIFOs and devices are skipped with a warning: they are not content, and opening a
/// FIFO would wait for a writer forever.
/// </summary>
public static class TreeCopier
{
    /// <param name="what">What is copied, for the messages ("the embedded python /opt/python").</param>
    /// <param name="include">Decides by an entry's name whether it and everything below it is copied.</param>
    public static int Copy(string source, string destination, string what, Func<string, bool>? include = null)
    {
        var root = Path.GetFullPath(source);
        var entries = Entries(root, include).ToArray();
        var escaping = entries.Where(x => x.Info.LinkTarget is not null && LeavesTree(root, x.Info.FullName)).ToArray();
        if (escaping.Length > 0)
        {
            var lines = escaping.Select(x => $"  {x.Relative} -> {x.Info.LinkTarget}");
            throw new ReleaseException($"{what} has {escaping.Length} link(s) that point outside it, which would ship pointing at this machine:{Environment.NewLine}" +
                $"{string.Join(Environment.NewLine, lines)}{Environment.NewLine}Make each a relative link to a file inside the folder, or replace it with a copy of what it points to");
        }

        var special = entries.Where(x => x.Info.LinkTarget is null && x.Info is FileInfo && FileStatus.Of(x.Info.FullName) is { Kind: not FileKind.Regular }).Select(x => x.Relative).ToHashSet();
        if (special.Count > 0)
            Log.Warning("Skipped {Count} socket(s), FIFO(s) or device(s) in {What:l}: {Paths:l}", special.Count, what, string.Join(", ", special.Order(StringComparer.Ordinal)));

        Directory.CreateDirectory(destination);
        var count = 0;
        foreach (var (relative, info) in entries)
        {
            if (special.Contains(relative))
                continue;
            var target = Path.Combine(destination, relative);
            if (info.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (info is DirectoryInfo directory)
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                File.Copy(info.FullName, target);
                File.SetUnixFileMode(target, info.UnixFileMode);
                File.SetLastWriteTimeUtc(target, info.LastWriteTimeUtc);
            }

            count++;
        }

        // Folders last: a read-only folder must still take its entries, and its time would move with each one.
        foreach (var (relative, info) in entries.Where(x => x.Info is DirectoryInfo && x.Info.LinkTarget is null).Reverse())
            File.SetUnixFileMode(Path.Combine(destination, relative), info.UnixFileMode);
        return count;
    }

    /// <summary>Parents before children, without following links, leaving out what <paramref name="include"/> refuses and everything below it.</summary>
    private static IEnumerable<(string Relative, FileSystemInfo Info)> Entries(string root, Func<string, bool>? include, string relative = "")
    {
        foreach (var entry in new DirectoryInfo(Path.Combine(root, relative)).EnumerateFileSystemInfos().OrderBy(x => x.Name, StringComparer.Ordinal))
        {
            if (include is not null && !include(entry.Name))
                continue;
            var path = relative.Length == 0 ? entry.Name : $"{relative}/{entry.Name}";
            yield return (path, entry);
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                foreach (var child in Entries(root, include, path))
                    yield return child;
            }
        }
    }

    /// <summary>
    /// Whether the link, resolved component by component as the kernel would (links inside the
    /// tree followed, ".." after a link taken from the link's target), ends outside the tree.
    /// An absolute link always counts as leaving it: the bundle is unpacked somewhere else.
    /// </summary>
    private static bool LeavesTree(string root, string link)
    {
        var target = new FileInfo(link).LinkTarget!;
        if (Path.IsPathRooted(target))
            return true;
        var budget = 1000;
        return Resolve(root, Path.GetRelativePath(root, Path.GetDirectoryName(link)!), target, ref budget) is null;
    }

    /// <summary>The resolved path relative to the root ("" for the root), or null when it leaves the tree or loops.</summary>
    private static string? Resolve(string root, string from, string path, ref int budget)
    {
        var parts = from == "." ? new List<string>() : from.Split('/').ToList();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
            var current = Path.Combine(root, string.Join('/', parts));
            if (new FileInfo(current).LinkTarget is not { } next)
                continue;
            if (Path.IsPathRooted(next) || --budget < 0)
                return null;
            parts.RemoveAt(parts.Count - 1);
            var resolved = Resolve(root, parts.Count == 0 ? "." : string.Join('/', parts), next, ref budget);
            if (resolved is null)
                return null;
            parts = resolved.Length == 0 ? [] : resolved.Split('/').ToList();
        }

        return string.Join('/', parts);
    }
}
