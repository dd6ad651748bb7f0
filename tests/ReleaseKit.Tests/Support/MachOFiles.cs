using System.Buffers.Binary;

namespace ReleaseKit.Tests.Support;

/// <summary>Minimal Mach-O headers for tests that only read the magic and CPU types (real binaries come with the Mach-O issue).</summary>
public static class MachOFiles
{
    public const int Arm64 = 0x0100000c;
    public const int X86_64 = 0x01000007;

    public static byte[] Thin(int cpuType, bool bigEndian = false)
    {
        var bytes = new byte[64];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, 0xfeedfacf);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), cpuType);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0xfeedfacf);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), cpuType);
        }
        return bytes;
    }

    public static byte[] Fat(bool wide, params int[] cpuTypes)
    {
        var entry = wide ? 32 : 20;
        var bytes = new byte[8 + cpuTypes.Length * entry + 16];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, wide ? 0xcafebabfu : 0xcafebabeu);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)cpuTypes.Length);
        for (var i = 0; i < cpuTypes.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8 + i * entry), cpuTypes[i]);
        return bytes;
    }

    /// <summary>A Java class file: the same 0xcafebabe magic, followed by a class-file version.</summary>
    public static byte[] JavaClass() => [0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x41, 0, 0, 0, 0];
}
