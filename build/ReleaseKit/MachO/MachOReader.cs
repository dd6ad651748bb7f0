using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
using ReleaseKit.Tooling;

namespace ReleaseKit.MachO;

/// <summary>
/// Reads what signing and notarization care about from a Mach-O file, thin or universal: file
/// type, CPU, linked libraries, rpaths, deployment target and SDK, and the code signature. Only
/// the headers, load commands and signature are read, each within bounds checked against the
/// file; a damaged or hostile file yields an error result, never an exception or a runaway loop.
/// Mach-O headers are little-endian here; code-signature structures are always big-endian.
/// </summary>
public static class MachOReader
{
    private const uint FatMagic = 0xcafebabe;
    private const uint FatMagic64 = 0xcafebabf;
    private const uint Magic32 = 0xfeedface;
    private const uint Magic64 = 0xfeedfacf;
    private const int MaxLoadCommandBytes = 16 << 20;
    private const int MaxSignatureBytes = 64 << 20;

    public static MachOFile Read(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path);
            var length = RandomAccess.GetLength(handle);
            var head = ReadAt(handle, 0, (int)Math.Min(length, 4096));
            if (head.Length < 8)
                return MachOFile.Malformed(path, 0, "shorter than a Mach-O header");

            var magic = BinaryPrimitives.ReadUInt32BigEndian(head);
            if (magic is FatMagic or FatMagic64)
                return ReadUniversal(path, handle, length, head, wide: magic == FatMagic64);
            return new MachOFile(path, false, [ReadSlice(handle, 0, length)], null);
        }
        catch (MalformedException exception)
        {
            return MachOFile.Malformed(path, exception.Offset, exception.Message);
        }
        catch (Exception exception) when (exception is ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // A bound this reader failed to check: still a damaged file, never a crash of the whole preflight.
            return MachOFile.Malformed(path, 0, $"unreadable structure ({exception.Message})");
        }
    }

    private static MachOFile ReadUniversal(string path, SafeFileHandle handle, long length, byte[] head, bool wide)
    {
        var count = BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(4));
        var entry = wide ? 32 : 20;
        if (count == 0 || count > 30)
            throw new MalformedException(4, $"{count} slices in a universal header");
        var table = ReadAt(handle, 8, (int)count * entry);
        if (table.Length < count * entry)
            throw new MalformedException(8, $"a universal header of {count} slices runs past the end of the file ({length} bytes)");
        var slices = new List<MachOSlice>();
        for (var i = 0; i < count; i++)
        {
            var at = table.AsSpan(i * entry);
            var offset = wide ? (long)BinaryPrimitives.ReadUInt64BigEndian(at[8..]) : BinaryPrimitives.ReadUInt32BigEndian(at[8..]);
            var size = wide ? (long)BinaryPrimitives.ReadUInt64BigEndian(at[16..]) : BinaryPrimitives.ReadUInt32BigEndian(at[12..]);
            if (offset < 0 || size < 28 || offset > length || size > length - offset)
                throw new MalformedException(8 + i * entry, $"slice {i} at {offset}+{size} lies outside the file ({length} bytes)");
            slices.Add(ReadSlice(handle, offset, size));
        }

        return new MachOFile(path, true, slices, null);
    }

    private static MachOSlice ReadSlice(SafeFileHandle handle, long offset, long size)
    {
        var header = ReadAt(handle, offset, (int)Math.Min(size, 32));
        if (header.Length < 28)
            throw new MalformedException(offset, "truncated Mach-O header");
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (magic is not (Magic32 or Magic64))
            throw new MalformedException(offset, $"no Mach-O magic (0x{magic:x8})");
        var is64 = magic == Magic64;
        var cpu = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        var fileType = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        var commandCount = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
        var commandBytes = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20));
        var headerSize = is64 ? 32 : 28;
        if (commandBytes > MaxLoadCommandBytes || headerSize + commandBytes > size || commandCount > commandBytes / 8)
            throw new MalformedException(offset + 16, $"{commandCount} load commands in {commandBytes} bytes do not fit the file");

        var commands = ReadAt(handle, offset + headerSize, (int)commandBytes);
        var slice = new SliceBuilder(BinaryFormat.CpuName(cpu), fileType, offset, size);
        var position = 0;
        for (var i = 0; i < commandCount; i++)
        {
            var at = offset + headerSize + position;
            if (position + 8 > commands.Length)
                throw new MalformedException(at, $"load command {i} runs past the load commands");
            var command = BinaryPrimitives.ReadUInt32LittleEndian(commands.AsSpan(position));
            var commandSize = BinaryPrimitives.ReadUInt32LittleEndian(commands.AsSpan(position + 4));
            if (commandSize < 8 || commandSize > commands.Length - position)
                throw new MalformedException(at, $"load command {i} has size {commandSize}");
            slice.Add(command, commands.AsSpan(position, (int)commandSize), at);
            position += (int)commandSize;
        }

        if (slice.SignatureRange is var (dataOffset, dataSize))
        {
            if (dataSize > MaxSignatureBytes || dataOffset > size || dataSize > size - dataOffset)
                throw new MalformedException(offset + dataOffset, $"code signature at {dataOffset}+{dataSize} lies outside the slice");
            var signature = CodeSignatureReader.Read(ReadAt(handle, offset + dataOffset, (int)dataSize), offset + dataOffset);
            slice.Signature = signature with { PagesMatch = PagesMatch(handle, offset, size, signature.Pages) };
        }

        return slice.Build();
    }

    /// <summary>
    /// Hashes each page of the slice up to the CodeDirectory's code limit and compares it with the
    /// recorded slot: a byte changed after signing (strip, install_name_tool, a patch) shows here
    /// as it does to the notary service ("The signature of the binary is invalid").
    /// </summary>
    private static bool? PagesMatch(SafeFileHandle handle, long offset, long size, PageHashes? pages)
    {
        if (pages is null || pages.CodeLimit > size || pages.HashType is not (1 or 2))
            return null;
        var pageSize = 1 << pages.PageSizeLog2;
        if ((pages.CodeLimit + pageSize - 1) / pageSize != pages.Count)
            return false;

        var buffer = new byte[pageSize];
        Span<byte> digest = stackalloc byte[32];
        for (var page = 0; page < pages.Count; page++)
        {
            var start = (long)page * pageSize;
            var length = (int)Math.Min(pageSize, pages.CodeLimit - start);
            var read = ReadAt(handle, offset + start, length);
            if (read.Length != length)
                return false;
            var written = pages.HashType == 2
                ? System.Security.Cryptography.SHA256.HashData(read, digest)
                : System.Security.Cryptography.SHA1.HashData(read, digest);
            if (!digest[..Math.Min(written, pages.HashSize)].SequenceEqual(pages.Hashes.AsSpan(page * pages.HashSize, pages.HashSize)))
                return false;
        }

        return true;
    }

    private static byte[] ReadAt(SafeFileHandle handle, long offset, int count)
    {
        var buffer = new byte[count];
        var total = 0;
        while (total < count)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(total), offset + total);
            if (read == 0)
                break;
            total += read;
        }

        return total == count ? buffer : buffer[..total];
    }

    /// <summary>Collects the load commands of one slice.</summary>
    private sealed class SliceBuilder(string architecture, uint fileType, long offset, long size)
    {
        private readonly List<LinkedLibrary> _libraries = [];
        private readonly List<string> _rpaths = [];
        private string? _installName;
        private OsVersion? _minimumOs;
        private OsVersion? _sdk;

        public (long Offset, long Size)? SignatureRange { get; private set; }

        public CodeSignature? Signature { get; set; }

        public void Add(uint command, ReadOnlySpan<byte> data, long at)
        {
            switch (command)
            {
                case 0x1d: // LC_CODE_SIGNATURE: dataoff, datasize into the file
                    if (data.Length < 16)
                        throw new MalformedException(at, "LC_CODE_SIGNATURE is too short");
                    SignatureRange = (BinaryPrimitives.ReadUInt32LittleEndian(data[8..]), BinaryPrimitives.ReadUInt32LittleEndian(data[12..]));
                    break;
                case 0x0d: // LC_ID_DYLIB
                    _installName = String(data, at);
                    break;
                case 0x0c: // LC_LOAD_DYLIB
                case 0x80000018: // LC_LOAD_WEAK_DYLIB
                case 0x8000001f: // LC_REEXPORT_DYLIB
                case 0x80000023: // LC_LOAD_UPWARD_DYLIB
                case 0x20: // LC_LAZY_LOAD_DYLIB
                    _libraries.Add(new LinkedLibrary(String(data, at), command switch
                    {
                        0x80000018 => "weak",
                        0x8000001f => "reexport",
                        0x80000023 => "upward",
                        0x20 => "lazy",
                        _ => "load",
                    }));
                    break;
                case 0x8000001c: // LC_RPATH
                    _rpaths.Add(String(data, at));
                    break;
                case 0x32 when data.Length >= 24: // LC_BUILD_VERSION: platform, minos, sdk
                    _minimumOs = OsVersion.From(BinaryPrimitives.ReadUInt32LittleEndian(data[12..]));
                    _sdk = OsVersion.From(BinaryPrimitives.ReadUInt32LittleEndian(data[16..]));
                    break;
                case 0x24 when data.Length >= 16: // LC_VERSION_MIN_MACOSX: version, sdk
                    _minimumOs = OsVersion.From(BinaryPrimitives.ReadUInt32LittleEndian(data[8..]));
                    _sdk = OsVersion.From(BinaryPrimitives.ReadUInt32LittleEndian(data[12..]));
                    break;
            }

        }

        public MachOSlice Build() =>
            new(architecture, fileType, _libraries, _installName, _rpaths, _minimumOs, _sdk, Signature, offset, size);

        // dylib and rpath commands name a string by its offset from the command's start.
        private static string String(ReadOnlySpan<byte> data, long at)
        {
            if (data.Length < 12)
                throw new MalformedException(at, "load command too short for its string");
            var start = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
            if (start < 12 || start >= data.Length)
                throw new MalformedException(at, $"string offset {start} outside its load command");
            var text = data[(int)start..];
            var end = text.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
        }
    }

    internal sealed class MalformedException(long offset, string message) : Exception(message)
    {
        public long Offset { get; } = offset;
    }
}
