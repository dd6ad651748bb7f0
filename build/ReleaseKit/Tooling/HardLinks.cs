using System.Runtime.InteropServices;

namespace ReleaseKit.Tooling;

/// <summary>
/// Paths that are one file (hard links). Each file is signed once, under its first name: signing
/// one inode under two names, possibly at the same time, races codesign against itself. codesign
/// writes the signed file under a new name and renames it over the path, which leaves the other
/// names with the old, unsigned bytes, so <see cref="Restore"/> links them to the signed file again.
/// </summary>
public static partial class HardLinks
{
    /// <summary>The paths grouped by file, in the order of each group's first path; each group's names in the given order.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Group(IEnumerable<string> paths)
    {
        var groups = new List<List<string>>();
        var byFile = new Dictionary<(ulong, ulong), List<string>>();
        foreach (var path in paths)
        {
            var status = FileStatus.Of(path);
            if (status is { } known && byFile.TryGetValue((known.Device, known.Inode), out var group))
            {
                group.Add(path);
                continue;
            }

            group = [path];
            groups.Add(group);
            if (status is { } first)
                byFile[(first.Device, first.Inode)] = group;
        }

        return groups;
    }

    /// <summary>Makes every other name of each group a hard link to the group's first path again, each replaced in one rename.</summary>
    public static void Restore(IEnumerable<IReadOnlyList<string>> groups)
    {
        foreach (var group in groups.Where(x => x.Count > 1))
        {
            foreach (var name in group.Skip(1))
            {
                var temporary = $"{name}.relink-{Environment.ProcessId}";
                if (link(group[0], temporary) != 0)
                    throw new ReleaseException($"Could not link {name} to the signed {group[0]} again ({Marshal.GetLastPInvokeErrorMessage()}): the bundle stays unsigned; check the folder's permissions and run Sign again");
                File.Move(temporary, name, overwrite: true);
            }
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string existing, string created);
}
