using System.Formats.Tar;
using ReleaseKit.Tooling;

namespace ReleaseKit.Packaging;

/// <summary>
/// Writes a folder as a tar stream that depends only on the tree: entries sorted, owner and
/// group 0 with empty names, one modification time for all, symlinks as symlinks, hard links as
/// links to the first name in that order (as GNU tar writes them), permission bits kept, no
/// AppleDouble (._*) files and no extended attributes.
///
/// GNU headers carry long names and link targets: .NET names each PAX extended header
/// "PaxHeaders.&lt;process id&gt;", so PAX output differs between two runs of the same build.
/// Access and change times stay unset: GNU keeps them where ustar keeps the path prefix, so
/// Python's tarfile and 7-Zip would put every path under a folder named after the time
/// (python/cpython#155629); GNU tar itself writes them only for --incremental.
/// </summary>
public static class DeterministicTar
{
    /// <summary>Used when SOURCE_DATE_EPOCH is not set (the reproducible-builds convention).</summary>
    public static readonly DateTimeOffset DefaultTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    /// <summary>The latest time a tar header's 11 octal digits hold (the year 2242); every reader takes it without extensions.</summary>
    public const long LatestTime = 8589934591;

    public static DateTimeOffset TimeFromEnvironment(Func<string, string?> environment)
    {
        var epoch = environment("SOURCE_DATE_EPOCH");
        if (string.IsNullOrWhiteSpace(epoch))
            return DefaultTime;
        if (!long.TryParse(epoch, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            throw new ReleaseException($"SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds since 1970: unset it or give e.g. $(git log -1 --format=%ct)");
        return seconds <= LatestTime
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new ReleaseException($"SOURCE_DATE_EPOCH={epoch} is later than a tar header can hold ({LatestTime}, in the year 2242): give the time of the last commit, e.g. $(git log -1 --format=%ct)");
    }

    /// <param name="checkContent">Given each file's path and the SHA-256 of what was read into the archive; a returned problem fails the archive once it is written.</param>
    /// <returns>The number of entries written.</returns>
    public static int Write(string directory, string topFolder, Stream output, DateTimeOffset time, CancellationToken cancellationToken,
        Func<string, string, string?>? checkContent = null)
    {
        var entries = TreeWalk.Shipped(directory).ToArray();
        var firstNames = new Dictionary<(ulong, ulong), (string Name, Task<string> Sha256)>();
        var checks = new List<(string Relative, Task<string> Sha256)>();
        // Each file is hashed on another core from the same bytes the archive gets, while this thread goes on reading.
        using var hasher = new BackgroundSha256();
        using (var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true))
        {
            writer.WriteEntry(Entry(TarEntryType.Directory, topFolder + "/", (UnixFileMode)0x1ED, time));
            foreach (var (relative, info) in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = $"{topFolder}/{relative}";
                if (info.LinkTarget is { } target)
                {
                    var link = Entry(TarEntryType.SymbolicLink, name, (UnixFileMode)0x1FF, time);
                    link.LinkName = target;
                    writer.WriteEntry(link);
                }
                else if (info is DirectoryInfo directoryInfo)
                {
                    writer.WriteEntry(Entry(TarEntryType.Directory, name + "/", directoryInfo.UnixFileMode & PermissionBits, time));
                }
                else
                {
                    var file = FileStatus.Of(info.FullName) is { } status ? (status.Device, status.Inode) : default;
                    if (firstNames.TryGetValue(file, out var first))
                    {
                        var link = Entry(TarEntryType.HardLink, name, info.UnixFileMode & PermissionBits, time);
                        link.LinkName = first.Name;
                        writer.WriteEntry(link);
                        checks.Add((relative, first.Sha256));
                        continue;
                    }

                    var hash = hasher.Begin();
                    using (var data = new BackgroundSha256.ReadStream(new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), hash))
                    {
                        var entry = Entry(TarEntryType.RegularFile, name, info.UnixFileMode & PermissionBits, time);
                        entry.DataStream = data;
                        writer.WriteEntry(entry);
                    }

                    var sha256 = hash.Finish();
                    checks.Add((relative, sha256));
                    if (file != default)
                        firstNames[file] = (name, sha256);
                }
            }
        }

        if (checkContent is not null)
        {
            foreach (var (relative, sha256) in checks)
            {
                if (checkContent(relative, sha256.GetAwaiter().GetResult()) is { } problem)
                    throw new ReleaseException(problem);
            }
        }

        return entries.Length + 1;
    }

    private static GnuTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset time) =>
        new(type, name)
        {
            Mode = mode,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
            ModificationTime = time,
        };
}
