using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ReleaseKit.Signing;

/// <summary>
/// Groups paths that are one file (hard links), so each file is signed once: signing the same
/// inode under two names, possibly at the same time, races codesign against itself.
/// </summary>
public static partial class HardLinks
{
    /// <summary>One path per file, in the given order; the other names of a file are dropped.</summary>
    public static IReadOnlyList<string> Distinct(IEnumerable<string> paths)
    {
        var seen = new HashSet<ulong>();
        return paths.Where(path => Inode(path) is not { } inode || seen.Add(inode)).ToArray();
    }

    /// <summary>
    /// st_ino, which .NET does not expose. It is the 8 bytes at offset 8 of struct stat in glibc's
    /// x86_64 and arm64 layouts and in macOS's (64-bit inode) layout alike.
    /// </summary>
    public static ulong? Inode(string path)
    {
        var buffer = new byte[512];
        return stat(path, buffer) == 0 ? BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(8)) : null;
    }

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int stat(string path, byte[] buffer);
}
