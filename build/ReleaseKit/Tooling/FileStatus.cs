using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ReleaseKit.Tooling;

/// <summary>What lstat(2) says a path is, beyond what .NET's FileSystemInfo tells apart.</summary>
public enum FileKind
{
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    Other,
}

/// <summary>
/// A path's kind, device and inode from lstat(2), which .NET does not expose: a FIFO or socket
/// looks like an empty file to FileInfo (and opening a FIFO blocks), and hard links share an
/// inode that FileInfo cannot show.
/// </summary>
public readonly partial record struct FileStatus(FileKind Kind, ulong Device, ulong Inode)
{
    /// <summary>The status of the path itself (a symlink is not followed); null when it does not exist.</summary>
    public static FileStatus? Of(string path)
    {
        var buffer = new byte[512];
        var result = OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.X64
            ? lstat_inode64(path, buffer)
            : lstat(path, buffer);
        return result == 0 ? Decode(buffer) : null;
    }

    public bool IsSameFile(FileStatus other) => Device == other.Device && Inode == other.Inode;

    // struct stat as each ABI lays it out; these layouts are fixed by the platforms' ABIs.
    private static FileStatus Decode(ReadOnlySpan<byte> stat)
    {
        ulong device, inode;
        uint mode;
        if (OperatingSystem.IsMacOS())
        {
            // dev_t (int32), mode_t (uint16), nlink_t (uint16), ino_t (uint64): the 64-bit-inode layout.
            device = BinaryPrimitives.ReadUInt32LittleEndian(stat);
            mode = BinaryPrimitives.ReadUInt16LittleEndian(stat[4..]);
            inode = BinaryPrimitives.ReadUInt64LittleEndian(stat[8..]);
        }
        else if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            // x86_64: dev, ino, nlink (8 bytes each), then mode.
            device = BinaryPrimitives.ReadUInt64LittleEndian(stat);
            inode = BinaryPrimitives.ReadUInt64LittleEndian(stat[8..]);
            mode = BinaryPrimitives.ReadUInt32LittleEndian(stat[24..]);
        }
        else
        {
            // The generic layout (arm64 and the other 64-bit ports): dev, ino, then mode and a 32-bit nlink.
            device = BinaryPrimitives.ReadUInt64LittleEndian(stat);
            inode = BinaryPrimitives.ReadUInt64LittleEndian(stat[8..]);
            mode = BinaryPrimitives.ReadUInt32LittleEndian(stat[16..]);
        }

        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Other,
        };
        return new FileStatus(kind, device, inode);
    }

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lstat(string path, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lstat_inode64(string path, byte[] buffer);
}
