using System.Buffers.Binary;

namespace ReleaseKit.MachO;

/// <summary>What an executable file is, read from its first bytes: enough to tell an arm64 macOS binary from anything else.</summary>
public sealed record BinaryFormat(string Kind, IReadOnlyList<string> Architectures)
{
    public const string MachO = "Mach-O";
    public const string UniversalMachO = "universal Mach-O";
    public const string Elf = "ELF";
    public const string Other = "not an executable binary";

    public bool IsMachO => Kind is MachO or UniversalMachO;

    public bool RunsOnAppleSilicon => IsMachO && Architectures.Contains("arm64");

    public override string ToString() => Architectures.Count == 0 ? Kind : $"{Kind} ({string.Join(", ", Architectures)})";

    private const uint MachMagic32 = 0xfeedface;
    private const uint MachMagic64 = 0xfeedfacf;
    private const uint FatMagic = 0xcafebabe;
    private const uint FatMagic64 = 0xcafebabf;

    // Java class files share 0xcafebabe; their next word is a version (45 and up), while a
    // universal binary holds a handful of slices (file(1) draws the line in the same place).
    private const uint MaxFatSlices = 30;

    /// <summary>The format of the file a path finally points to (python3 -> python3.12 -> the binary).</summary>
    public static BinaryFormat ReadFollowingLinks(string path) => Read(File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path);

    public static BinaryFormat Read(string path)
    {
        Span<byte> header = stackalloc byte[4096];
        using var file = File.OpenRead(path);
        var length = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        return Identify(header[..length]);
    }

    public static BinaryFormat Identify(ReadOnlySpan<byte> header)
    {
        if (header.Length < 8)
            return new BinaryFormat(Other, []);

        var little = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var big = BinaryPrimitives.ReadUInt32BigEndian(header);

        if (little is MachMagic32 or MachMagic64)
            return new BinaryFormat(MachO, [CpuName(BinaryPrimitives.ReadInt32LittleEndian(header[4..]))]);
        if (big is MachMagic32 or MachMagic64)
            return new BinaryFormat(MachO, [CpuName(BinaryPrimitives.ReadInt32BigEndian(header[4..]))]);

        if (big is FatMagic or FatMagic64)
        {
            var slices = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            var entrySize = big == FatMagic ? 20 : 32;
            if (slices == 0 || slices > MaxFatSlices || 8 + slices * entrySize > header.Length)
                return new BinaryFormat(Other, []);
            var architectures = new string[slices];
            for (var i = 0; i < architectures.Length; i++)
                architectures[i] = CpuName(BinaryPrimitives.ReadInt32BigEndian(header[(8 + i * entrySize)..]));
            return new BinaryFormat(UniversalMachO, architectures);
        }

        if (header[0] == 0x7f && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F' && header.Length >= 20)
        {
            var machine = header[5] == 2 ? BinaryPrimitives.ReadUInt16BigEndian(header[18..]) : BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
            return new BinaryFormat(Elf, [machine switch { 0x3e => "x86_64", 0xb7 => "arm64", 0x03 => "i386", _ => $"machine {machine}" }]);
        }

        return new BinaryFormat(Other, []);
    }

    internal static string CpuName(int cpuType) => cpuType switch
    {
        0x0100000c => "arm64",
        0x0200000c => "arm64_32",
        0x01000007 => "x86_64",
        0x00000007 => "i386",
        0x0000000c => "arm",
        0x01000012 => "ppc64",
        0x00000012 => "ppc",
        _ => $"cpu 0x{cpuType:x}",
    };
}
