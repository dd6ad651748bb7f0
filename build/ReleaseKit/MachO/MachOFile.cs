using ReleaseKit.Tooling;

namespace ReleaseKit.MachO;

/// <summary>A Mach-O file as read by <see cref="MachOReader"/>: its slices, or why it could not be read.</summary>
public sealed record MachOFile(string Path, bool IsUniversal, IReadOnlyList<MachOSlice> Slices, string? Error)
{
    public bool IsValid => Error is null;

    public static MachOFile Malformed(string path, long offset, string reason) =>
        new(path, false, [], $"malformed Mach-O at offset {offset}: {reason}");
}

/// <summary>One architecture of a Mach-O file.</summary>
public sealed record MachOSlice(
    string Architecture,
    uint FileType,
    IReadOnlyList<LinkedLibrary> Libraries,
    string? InstallName,
    IReadOnlyList<string> Rpaths,
    OsVersion? MinimumOs,
    OsVersion? Sdk,
    CodeSignature? Signature,
    long Offset,
    long Size)
{
    public const uint Object = 1;
    public const uint Execute = 2;
    public const uint Dylib = 6;
    public const uint Bundle = 8;

    public string FileTypeName => FileType switch
    {
        Object => "object",
        Execute => "execute",
        Dylib => "dylib",
        Bundle => "bundle",
        _ => $"type {FileType}",
    };
}

/// <summary>A library a slice links: its install name and how (load, weak, reexport, upward, lazy).</summary>
public sealed record LinkedLibrary(string Name, string Kind);

/// <summary>Where a CodeDirectory keeps its page hashes and how they were made.</summary>
internal sealed record PageHashes(byte[] Hashes, int Count, long CodeLimit, int HashSize, int HashType, int PageSizeLog2);

/// <summary>What a slice's code signature says about itself.</summary>
public sealed record CodeSignature(
    string? Identifier,
    string? TeamId,
    uint Flags,
    bool HasCms,
    bool CmsHasSigningTime,
    bool CmsHasTimestamp,
    string? Entitlements,
    bool HasDerEntitlements)
{
    /// <summary>Whether every code page still hashes to what the CodeDirectory recorded; null when not checked.</summary>
    public bool? PagesMatch { get; init; }

    /// <summary>The leaf certificate of the CMS signature; null for ad-hoc and linker signatures.</summary>
    public SigningCertificate? Certificate { get; init; }

    /// <summary>The CodeDirectory's page hashes, for checking the file against them.</summary>
    internal PageHashes? Pages { get; init; }

    public const uint AdHocFlag = 0x2;
    public const uint RuntimeFlag = 0x10000;
    public const uint LinkerSignedFlag = 0x20000;

    public bool IsAdHoc => (Flags & AdHocFlag) != 0;

    public bool IsLinkerSigned => (Flags & LinkerSignedFlag) != 0;

    public bool HasHardenedRuntime => (Flags & RuntimeFlag) != 0;
}
