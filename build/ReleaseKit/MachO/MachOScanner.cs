using System.Buffers.Binary;
using ReleaseKit.Tooling;

namespace ReleaseKit.MachO;

/// <summary>What a file holds, judged by its bytes: code that codesign signs, a static library, or anything else.</summary>
public enum CodeKind
{
    Other,

    /// <summary>An executable, dylib or bundle (thin, or universal with only such slices): codesign signs it.</summary>
    Image,

    /// <summary>An ar archive of object files: linked at build time, never loaded at run time.</summary>
    StaticLibrary,

    /// <summary>A universal header around ar archives: still not code anything loads, but it looks like Mach-O to the notary service.</summary>
    UniversalStaticLibrary,
}

/// <summary>
/// Finds the Mach-O files of a tree by their first bytes, not by name: a python bundle keeps
/// them as .so, .dylib, extension-less executables and inside .dylibs/ folders. Static
/// archives (!&lt;arch&gt;, thin or inside a universal header) and object files are not signed,
/// Java class files share the universal magic, and symlinks are not followed (their targets are
/// found as files themselves).
/// </summary>
public static class MachOScanner
{
    private static readonly byte[] ArchiveMagic = "!<arch>\n"u8.ToArray();

    /// <summary>The Mach-O images codesign signs, in ordinal order.</summary>
    public static IReadOnlyList<string> Find(string root) => Scan(root).Where(x => x.Kind == CodeKind.Image).Select(x => x.Path).ToArray();

    /// <summary>Every file that is an image or a static library, with its kind, in ordinal order.</summary>
    public static IReadOnlyList<(string Path, CodeKind Kind)> Scan(string root)
    {
        var files = TreeWalk.Entries(root)
            .Where(x => x.Info is FileInfo { Length: >= 8 } && x.Info.LinkTarget is null)
            .Select(x => x.Info.FullName)
            .ToArray();
        var kinds = new CodeKind[files.Length];
        Parallel.For(0, files.Length, i => kinds[i] = Classify(files[i]));
        return files.Select((path, i) => (path, kinds[i]))
            .Where(x => x.Item2 != CodeKind.Other)
            .OrderBy(x => x.path, StringComparer.Ordinal)
            .ToArray();
    }

    public static bool IsSignable(string path) => Classify(path) == CodeKind.Image;

    public static CodeKind Classify(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            // Enough for a universal header's slice table (up to 30 slices of 32 bytes).
            Span<byte> header = stackalloc byte[1024];
            var length = RandomAccess.Read(handle, header, 0);
            header = header[..length];
            if (header.StartsWith(ArchiveMagic))
                return CodeKind.StaticLibrary;
            if (length < 32)
                return CodeKind.Other;
            if (IsThinImage(header))
                return CodeKind.Image;
            if (BinaryFormat.Identify(header).Kind != BinaryFormat.UniversalMachO)
                return CodeKind.Other;
            return ClassifyUniversal(handle, header);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return CodeKind.Other;
        }
    }

    private static bool IsThinImage(ReadOnlySpan<byte> header)
    {
        var little = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var big = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (little is 0xfeedface or 0xfeedfacf)
            return BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != MachOSlice.Object;
        if (big is 0xfeedface or 0xfeedfacf)
            return BinaryPrimitives.ReadUInt32BigEndian(header[12..]) != MachOSlice.Object;
        return false;
    }

    // A universal header only says "several slices"; what the slices are decides whether there is
    // anything to sign. A slice that cannot be read leaves the file to codesign and the preflight,
    // which name it as damaged.
    private static CodeKind ClassifyUniversal(Microsoft.Win32.SafeHandles.SafeFileHandle handle, ReadOnlySpan<byte> header)
    {
        var wide = BinaryPrimitives.ReadUInt32BigEndian(header) == 0xcafebabf;
        var count = (int)BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var entry = wide ? 32 : 20;
        int archives = 0, objects = 0;
        Span<byte> slice = stackalloc byte[32];
        for (var i = 0; i < count; i++)
        {
            var at = header[(8 + i * entry)..];
            var offset = wide ? (long)BinaryPrimitives.ReadUInt64BigEndian(at[8..]) : BinaryPrimitives.ReadUInt32BigEndian(at[8..]);
            if (offset < 0 || RandomAccess.Read(handle, slice, offset) < slice.Length)
                return CodeKind.Image;
            if (slice.StartsWith(ArchiveMagic))
                archives++;
            else if (!IsThinImage(slice) && IsMachO(slice))
                objects++;
        }

        return archives == count ? CodeKind.UniversalStaticLibrary : objects == count ? CodeKind.Other : CodeKind.Image;
    }

    private static bool IsMachO(ReadOnlySpan<byte> header) =>
        BinaryPrimitives.ReadUInt32LittleEndian(header) is 0xfeedface or 0xfeedfacf || BinaryPrimitives.ReadUInt32BigEndian(header) is 0xfeedface or 0xfeedfacf;
}
