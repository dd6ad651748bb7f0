using System.Buffers.Binary;
using ReleaseKit.Tooling;

namespace ReleaseKit.MachO;

/// <summary>
/// Finds the Mach-O files of a tree by their first bytes, not by name: a python bundle keeps
/// them as .so, .dylib, extension-less executables and inside .dylibs/ folders. Static
/// archives (!&lt;arch&gt;) and object files are not signed, Java class files share the universal
/// magic, and symlinks are not followed (their targets are found as files themselves).
/// </summary>
public static class MachOScanner
{
    public static IReadOnlyList<string> Find(string root)
    {
        var files = TreeWalk.Entries(root)
            .Where(x => x.Info is FileInfo { Length: >= 32 } && x.Info.LinkTarget is null)
            .Select(x => x.Info.FullName)
            .ToArray();
        var found = new bool[files.Length];
        Parallel.For(0, files.Length, i => found[i] = IsSignable(files[i]));
        return files.Where((_, i) => found[i]).Order(StringComparer.Ordinal).ToArray();
    }

    public static bool IsSignable(string path)
    {
        // Enough for a universal header's slice table (up to 30 slices of 32 bytes).
        Span<byte> buffer = stackalloc byte[1024];
        int length;
        try
        {
            using var handle = File.OpenHandle(path);
            length = RandomAccess.Read(handle, buffer, 0);
            if (length < 32)
                return false;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        var header = buffer[..length];
        var little = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var big = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (little is 0xfeedface or 0xfeedfacf)
            return BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != MachOSlice.Object;
        if (big is 0xfeedface or 0xfeedfacf)
            return BinaryPrimitives.ReadUInt32BigEndian(header[12..]) != MachOSlice.Object;
        return BinaryFormat.Identify(header).Kind == BinaryFormat.UniversalMachO;
    }
}
