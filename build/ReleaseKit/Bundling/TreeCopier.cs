namespace ReleaseKit.Bundling;

/// <summary>
/// Copies a folder the way the bundle needs it: symlinks stay symlinks (python3 -> python3.12),
/// permission bits and modification times are kept (python checks each .pyc against its
/// source's mtime). Hard links become separate copies.
/// </summary>
public static class TreeCopier
{
    public static int Copy(string source, string destination, Func<string, bool>? include = null)
    {
        var count = 0;
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            if (include is not null && !include(entry.Name))
                continue;

            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                count += Copy(directory.FullName, target, include);
                File.SetUnixFileMode(target, directory.UnixFileMode);
            }
            else
            {
                File.Copy(entry.FullName, target);
                File.SetUnixFileMode(target, entry.UnixFileMode);
                File.SetLastWriteTimeUtc(target, entry.LastWriteTimeUtc);
            }

            count++;
        }

        return count;
    }
}
