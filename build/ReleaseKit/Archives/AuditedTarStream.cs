using System.Buffers.Binary;
using System.IO.Compression;
using ReleaseKit.Tooling;
using SharpCompress.Compressors.ZStandard;

namespace ReleaseKit.Archives;

/// <summary>
/// The decompressed content of an archive, every block of it audited as tar (<see cref="TarAudit"/>),
/// with the check .NET's GZipStream leaves out: zlib
/// verifies the trailer's CRC-32 when the trailer is there (a wrong one throws), but a gzip whose
/// trailer is cut off decodes without complaint. Read through this stream, the content is counted
/// and, at the end, the trailer must be present and its length field must match the count: a cut
/// trailer leaves compressed bytes in its place, which match with a chance of 1 in 2^32. zstd
/// frames carry their own checksum, which the decoder verifies.
/// </summary>
/// <remarks>
/// Not a CRC of its own: zlib computes one already, and hashing every byte twice cost the
/// extraction benchmark several percent. The trailer read is the file's last one, which covers the
/// whole content for a single-member gzip: what gzip, Python, pigz and Package write, and what
/// python-build-standalone ships.
/// </remarks>
internal sealed class AuditedTarStream : Stream
{
    private readonly FileStream _file;
    private readonly Stream _decoded;
    private readonly bool _gzip;
    private readonly TarAudit _audit;
    private long _length;

    private AuditedTarStream(FileStream file, Stream decoded, bool gzip, string archive)
    {
        _file = file;
        _decoded = decoded;
        _gzip = gzip;
        _audit = new TarAudit(archive);
    }

    public static AuditedTarStream Open(string archive)
    {
        var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[4];
        var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;

        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            return new AuditedTarStream(file, new BufferedStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true), 1 << 16), gzip: true, archive);
        if (read >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
            return new AuditedTarStream(file, new BufferedStream(new DecompressionStream(file, 1 << 17, checkEndOfStream: true, leaveOpen: true), 1 << 16), gzip: false, archive);
        return new AuditedTarStream(file, file, gzip: false, archive);
    }

    /// <summary>
    /// Reads what the tar reader left (end-of-archive padding, which must be zeros: see
    /// <see cref="TarAudit"/>), then compares the gzip trailer with what was read.
    /// </summary>
    public async Task VerifyEndAsync(string archive, CancellationToken cancellationToken)
    {
        var rest = new byte[1 << 16];
        while (await ReadAsync(rest, cancellationToken) > 0)
        {
        }

        _audit.Finish();
        if (!_gzip)
            return;

        var size = new byte[4];
        var complete = _file.Length >= 18 && RandomAccess.Read(_file.SafeFileHandle, size, _file.Length - 4) == 4;
        if (!complete || BinaryPrimitives.ReadUInt32LittleEndian(size) != (uint)_length)
            throw new ReleaseException($"{archive} fails its gzip check (the trailer is missing, or its length does not match the content): it is truncated or damaged; download it again");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _decoded.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _decoded.ReadAsync(buffer, cancellationToken);
        Account(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Account(ReadOnlySpan<byte> data)
    {
        _length += data.Length;
        _audit.Feed(data);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (!ReferenceEquals(_decoded, _file))
                _decoded.Dispose();
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
