using System.Buffers.Binary;
using System.Text;
using ReleaseKit.Tooling;

namespace ReleaseKit.Archives;

/// <summary>
/// Walks the raw tar stream block by block beside the tar reader, and refuses what readers do not
/// agree on, so that what the extractor sees is what GNU tar, bsdtar and Python's tarfile install:
/// a header whose checksum is wrong, or zero while the block is not (.NET reads either as the end
/// of the archive, other readers skip it or go on), anything but zeros after the end-of-archive
/// block, GNU sparse files and the other entry types only some readers implement, PAX keys that
/// change what some readers write (GNU.sparse.*, SCHILY.xattr.*, ...), and a size on a link or
/// folder, whose data some readers skip and others read as the next header.
/// </summary>
internal sealed class TarAudit(string archive)
{
    private const int Block = 512;
    private const int MaxExtendedHeader = 1 << 20;

    // PAX keys whose meaning every reader shares; an unknown key may mean something to one of them.
    private static readonly HashSet<string> KnownPaxKeys = ["path", "linkpath", "size", "mtime", "atime", "ctime", "uid", "gid", "uname", "gname", "comment"];

    private readonly byte[] _block = new byte[Block];
    private int _filled;
    private long _offset;
    private long _dataLeft;
    private MemoryStream? _extended;
    private long _extendedLeft;
    private byte _extendedType;
    private long? _nextSize;
    private bool _ended;

    public void Feed(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var take = Math.Min(Block - _filled, data.Length);
            data[..take].CopyTo(_block.AsSpan(_filled));
            _filled += take;
            data = data[take..];
            if (_filled == Block)
            {
                OnBlock(_block);
                _filled = 0;
                _offset += Block;
            }
        }
    }

    /// <summary>After the last byte: a stream that stops inside an entry is not a whole archive.</summary>
    public void Finish()
    {
        if (_dataLeft > 0 || _filled > 0 && !_ended)
            throw Refused($"it ends inside an entry at offset {_offset + _filled}");
    }

    private void OnBlock(ReadOnlySpan<byte> block)
    {
        if (_ended)
        {
            if (block.ContainsAnyExcept((byte)0))
                throw Refused($"it has data after its end-of-archive block, at offset {_offset}, which some readers would unpack");
            return;
        }

        if (_dataLeft > 0)
        {
            if (_extended is not null)
            {
                var used = (int)Math.Min(_extendedLeft, Block);
                _extended.Write(block[..used]);
                _extendedLeft -= used;
                if (_extendedLeft == 0)
                    EndExtended();
            }

            _dataLeft -= Block;
            return;
        }

        if (!block.ContainsAnyExcept((byte)0))
        {
            _ended = true;
            return;
        }

        Header(block);
    }

    private void Header(ReadOnlySpan<byte> header)
    {
        var recorded = Octal(header.Slice(148, 8));
        if (recorded is null or 0)
            throw Refused($"the header at offset {_offset} has {(recorded is null ? "an unreadable" : "a zero")} checksum; some readers end the archive there and others go on");
        var sum = 0L;
        for (var i = 0; i < Block; i++)
            sum += i is >= 148 and < 156 ? (byte)' ' : header[i];
        if (sum != recorded)
            throw Refused($"the header at offset {_offset} has checksum {recorded}, but its bytes sum to {sum}: it is damaged or crafted");

        var type = header[156];
        var headerSize = Size(header.Slice(124, 12)) ?? throw Refused($"the header at offset {_offset} has an unreadable size");
        var size = _nextSize ?? headerSize;
        _nextSize = null;
        switch ((char)type)
        {
            case '0' or '\0' or '7':
                break;
            case '1' or '2' or '5' or '3' or '4' or '6':
                // Links, folders and devices carry no data; with a size, readers disagree on where the next header is.
                if (size != 0)
                    throw Refused($"the {Describe(type)} entry at offset {_offset} claims {size} bytes of data, which some readers skip and others read as headers");
                break;
            case 'x' or 'g' or 'L' or 'K':
                if (size > MaxExtendedHeader)
                    throw Refused($"the extended header at offset {_offset} is {size} bytes long");
                _extended = new MemoryStream();
                _extendedLeft = size;
                _extendedType = type;
                if (size == 0)
                    EndExtended();
                break;
            default:
                throw Refused($"the entry at offset {_offset} is a {Describe(type)}, which not every reader unpacks the same way");
        }

        _dataLeft = (size + Block - 1) / Block * Block;
    }

    private void EndExtended()
    {
        var content = _extended!.ToArray();
        _extended = null;
        if (_extendedType is (byte)'x' or (byte)'g')
            Pax(content, global: _extendedType == (byte)'g');
    }

    private void Pax(byte[] content, bool global)
    {
        var at = 0;
        while (at < content.Length)
        {
            var space = Array.IndexOf(content, (byte)' ', at);
            if (space < 0 || !int.TryParse(Encoding.ASCII.GetString(content, at, space - at), out var length) || length <= space - at || at + length > content.Length)
                throw Refused($"a PAX header before offset {_offset} is malformed");
            var record = Encoding.UTF8.GetString(content, space + 1, at + length - space - 2);
            var equals = record.IndexOf('=');
            if (equals < 0)
                throw Refused($"a PAX header before offset {_offset} has a record without '='");
            var key = record[..equals];
            if (!KnownPaxKeys.Contains(key) || global && key is "path" or "linkpath" or "size")
                throw Refused($"a PAX header before offset {_offset} sets '{key}', which not every reader understands the same way{(key.StartsWith("GNU.sparse", StringComparison.Ordinal) ? " (a GNU sparse file)" : "")}");
            if (key == "size")
                _nextSize = long.TryParse(record[(equals + 1)..], out var size) && size >= 0 ? size : throw Refused($"a PAX header before offset {_offset} has size '{record[(equals + 1)..]}'");
            at += length;
        }
    }

    private static string Describe(byte type) => (char)type switch
    {
        '1' => "hard link",
        '2' => "symlink",
        '3' => "character device",
        '4' => "block device",
        '5' => "folder",
        '6' => "FIFO",
        'S' => "GNU sparse file",
        'M' => "GNU multi-volume continuation",
        'V' => "GNU volume label",
        'N' => "GNU old long name",
        'D' => "GNU dump directory",
        var other when other is >= ' ' and <= '~' => $"entry of type '{other}'",
        _ => $"entry of type 0x{type:x2}",
    };

    /// <summary>An octal field (NUL- or space-terminated); null when it holds anything else.</summary>
    private static long? Octal(ReadOnlySpan<byte> field)
    {
        var text = Encoding.ASCII.GetString(field).Trim(' ', '\0');
        if (text.Length == 0)
            return 0;
        long value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '7')
                return null;
            value = value * 8 + (c - '0');
        }

        return value;
    }

    /// <summary>The size field: octal, or GNU's base-256 (high bit set) for sizes past 8 GiB.</summary>
    private static long? Size(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) == 0)
            return Octal(field);
        if ((field[0] & 0x40) != 0 || field[1..4].ContainsAnyExcept((byte)0))
            return null;
        return (long)BinaryPrimitives.ReadUInt64BigEndian(field[4..]) is var value and >= 0 ? value : null;
    }

    private ReleaseException Refused(string reason) => new($"{archive} is refused: {reason}. Unpack only archives every tar reader reads alike; download or package it again");
}
