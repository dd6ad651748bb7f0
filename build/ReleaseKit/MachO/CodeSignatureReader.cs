using System.Buffers.Binary;
using System.Text;

namespace ReleaseKit.MachO;

/// <summary>
/// Reads the embedded signature superblob (big-endian, whatever the Mach-O byte order): the
/// CodeDirectory, the entitlements, and the CMS blob: its leaf certificate, and whether it
/// carries a signing time and a timestamp token (searched by OID, which needs no full decode).
/// </summary>
internal static class CodeSignatureReader
{
    private const uint SuperBlobMagic = 0xfade0cc0;
    private const uint CodeDirectoryMagic = 0xfade0c02;
    private const uint EntitlementsMagic = 0xfade7171;
    private const uint DerEntitlementsMagic = 0xfade7172;
    private const uint CmsMagic = 0xfade0b01;

    // 1.2.840.113549.1.9.5 (signingTime) and 1.2.840.113549.1.9.16.2.14 (an RFC 3161 timestamp token), DER-encoded.
    private static readonly byte[] SigningTimeOid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05];
    private static readonly byte[] TimestampTokenOid = [0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0e];

    public static CodeSignature Read(ReadOnlySpan<byte> blob, long at)
    {
        if (blob.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(blob) != SuperBlobMagic)
            throw new MachOReader.MalformedException(at, "code signature does not start with a superblob");
        var length = BinaryPrimitives.ReadUInt32BigEndian(blob[4..]);
        var count = BinaryPrimitives.ReadUInt32BigEndian(blob[8..]);
        if (length > blob.Length || length < 12 || count > (length - 12) / 8)
            throw new MachOReader.MalformedException(at, $"superblob of {length} bytes with {count} entries");
        blob = blob[..(int)length];

        string? identifier = null, team = null, entitlements = null;
        SigningCertificate? certificate = null;
        PageHashes? pages = null;
        uint flags = 0;
        bool hasDirectory = false, hasCms = false, signingTime = false, timestamp = false, derEntitlements = false;
        for (var i = 0; i < count; i++)
        {
            var offset = BinaryPrimitives.ReadUInt32BigEndian(blob[(16 + i * 8)..]);
            // In long: 0xFFFFFFF8 + 8 wraps to 0 in uint and would pass.
            if ((long)offset + 8 > blob.Length)
                throw new MachOReader.MalformedException(at + 16 + i * 8, $"blob {i} at {offset} lies outside the superblob");
            var magic = BinaryPrimitives.ReadUInt32BigEndian(blob[(int)offset..]);
            var size = BinaryPrimitives.ReadUInt32BigEndian(blob[((int)offset + 4)..]);
            if (size < 8 || size > blob.Length - offset)
                throw new MachOReader.MalformedException(at + offset, $"blob {i} of {size} bytes runs past the superblob");
            var content = blob.Slice((int)offset, (int)size);

            switch (magic)
            {
                // Alternate CodeDirectories (SHA-256 beside SHA-1) repeat the first's identity.
                case CodeDirectoryMagic when !hasDirectory:
                    hasDirectory = true;
                    (identifier, team, flags, pages) = ReadCodeDirectory(content, at + offset);
                    break;
                case EntitlementsMagic:
                    entitlements = Encoding.UTF8.GetString(content[8..]);
                    break;
                case DerEntitlementsMagic:
                    derEntitlements = true;
                    break;
                case CmsMagic:
                    hasCms = size > 8;
                    signingTime = content.IndexOf(SigningTimeOid) >= 0;
                    timestamp = content.IndexOf(TimestampTokenOid) >= 0;
                    certificate = hasCms ? SigningCertificate.FromCms(content[8..]) : null;
                    break;
            }
        }

        if (!hasDirectory)
            throw new MachOReader.MalformedException(at, "code signature without a CodeDirectory");
        return new CodeSignature(identifier, team, flags, hasCms, signingTime, timestamp, entitlements, derEntitlements) { Pages = pages, Certificate = certificate };
    }

    private static (string? Identifier, string? Team, uint Flags, PageHashes? Pages) ReadCodeDirectory(ReadOnlySpan<byte> directory, long at)
    {
        if (directory.Length < 44)
            throw new MachOReader.MalformedException(at, "CodeDirectory too short");
        var version = BinaryPrimitives.ReadUInt32BigEndian(directory[8..]);
        var flags = BinaryPrimitives.ReadUInt32BigEndian(directory[12..]);
        var identifier = CString(directory, BinaryPrimitives.ReadUInt32BigEndian(directory[20..]), at);
        string? team = null;
        if (version >= 0x20200 && directory.Length >= 52)
        {
            var teamOffset = BinaryPrimitives.ReadUInt32BigEndian(directory[48..]);
            if (teamOffset != 0)
                team = CString(directory, teamOffset, at);
        }

        // Code slots: one hash per page of the file up to codeLimit, starting at hashOffset.
        var hashOffset = BinaryPrimitives.ReadUInt32BigEndian(directory[16..]);
        var codeSlots = BinaryPrimitives.ReadUInt32BigEndian(directory[28..]);
        var codeLimit = BinaryPrimitives.ReadUInt32BigEndian(directory[32..]);
        int hashSize = directory[36], hashType = directory[37], pageSizeLog2 = directory[39];
        PageHashes? pages = null;
        if (hashSize is 20 or 32 && pageSizeLog2 is >= 9 and <= 16 && codeSlots <= (directory.Length - (long)hashOffset) / hashSize && hashOffset <= directory.Length)
            pages = new PageHashes(directory.Slice((int)hashOffset, (int)codeSlots * hashSize).ToArray(), (int)codeSlots, codeLimit, hashSize, hashType, pageSizeLog2);

        return (identifier, team, flags, pages);
    }

    private static string CString(ReadOnlySpan<byte> blob, uint offset, long at)
    {
        if (offset >= blob.Length)
            throw new MachOReader.MalformedException(at + offset, "string offset outside the CodeDirectory");
        var text = blob[(int)offset..];
        var end = text.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
    }
}
