using System.Text;
using ReleaseKit.Archives;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Archives;

/// <summary>
/// Crafted archives through the extractor Verify uses and through GNU tar, bsdtar and Python's
/// tarfile: either the extractor refuses the archive, or all four install the same bytes at the
/// same paths. Otherwise Verify could pass an `app/app` that no user ever gets.
/// </summary>
public class TarReadersAgreeTests : IDisposable
{
    private readonly TempDirectory _temp = new("tar-readers");

    public void Dispose() => _temp.Dispose();

    private static readonly byte[] EndOfArchive = new byte[1024];

    /// <summary>A ustar header; <paramref name="checksum"/> turns the right checksum into the one written.</summary>
    private static byte[] Header(string name, char type, long size, string link = "", Func<long, long>? checksum = null)
    {
        var header = new byte[512];
        void Text(int at, string text) => Encoding.ASCII.GetBytes(text).CopyTo(header, at);
        Text(0, name);
        Text(100, "0000644\0");
        Text(108, "0000000\0");
        Text(116, "0000000\0");
        Text(124, Convert.ToString(size, 8).PadLeft(11, '0') + "\0");
        Text(136, "15000000000\0");
        Text(148, "        ");
        header[156] = (byte)type;
        Text(157, link);
        Text(257, "ustar\0");
        Text(263, "00");
        var sum = header.Sum(x => (long)x);
        var written = checksum?.Invoke(sum) ?? sum;
        Text(148, Convert.ToString(written, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }

    private static byte[] Data(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var padded = new byte[(bytes.Length + 511) / 512 * 512];
        bytes.CopyTo(padded, 0);
        return padded;
    }

    private static byte[] File(string name, string content, Func<long, long>? checksum = null) =>
        [.. Header(name, '0', content.Length, checksum: checksum), .. Data(content)];

    private static byte[] Pax(params string[] records)
    {
        var body = new StringBuilder();
        foreach (var record in records)
        {
            // The length counts itself: grow it until it does.
            var length = record.Length + 3;
            while ($"{length} {record}\n".Length != length)
                length++;
            body.Append($"{length} {record}\n");
        }

        return [.. Header("PaxHeaders/app", 'x', body.Length), .. Data(body.ToString())];
    }

    public static TheoryData<string, byte[], string?> Archives() => new()
    {
        { "plain", [.. File("app/app", "good"), .. EndOfArchive], null },
        { "PAX size and path", [.. Pax("path=app/long-name-from-pax", "size=4"), .. Header("app/short", '0', 0), .. Data("good"), .. EndOfArchive], null },
        { "zero checksum on the second header", [.. File("app/app", "good"), .. File("app/app", "evil", _ => 0), .. EndOfArchive], "zero checksum" },
        { "wrong checksum", [.. File("app/other", "good"), .. File("app/app", "evil", sum => sum + 1), .. EndOfArchive], "checksum" },
        { "an entry after the end of the archive", [.. File("app/app", "good"), .. EndOfArchive, .. File("app/app", "evil"), .. EndOfArchive], "after its end-of-archive block" },
        { "GNU sparse in PAX", [.. Pax("GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.name=app/app", "GNU.sparse.realsize=4"), .. File("app/GNUSparseFile.0/app", "1\n0\n4\n" + new string('\0', 505) + "evil"), .. EndOfArchive], "GNU.sparse" },
        { "old GNU sparse type", [.. Header("app/app", 'S', 4), .. Data("evil"), .. EndOfArchive], "GNU sparse file" },
        { "an extended attribute key", [.. Pax("SCHILY.xattr.user.evil=1"), .. File("app/app", "good"), .. EndOfArchive], "SCHILY.xattr" },
        { "a folder with data", [.. Header("app/", '5', 512), .. File("app/app", "evil"), .. File("app/app2", "good"), .. EndOfArchive], "claims 512 bytes" },
        { "a symlink with data", [.. Header("app/link", '2', 512, link: "app"), .. File("app/app", "evil"), .. EndOfArchive], "claims 512 bytes" },
    };

    [Theory]
    [MemberData(nameof(Archives))]
    public async Task Verify_refuses_or_installs_what_every_other_reader_installs(string name, byte[] archive, string? refusal)
    {
        var path = _temp[$"{name.Replace(' ', '-')}.tar"];
        await System.IO.File.WriteAllBytesAsync(path, archive);

        Dictionary<string, string>? ours;
        try
        {
            await SafeExtractor.ExtractAsync(path, _temp["ours"]);
            ours = Tree(_temp["ours"]);
        }
        catch (ReleaseException exception)
        {
            refusal.Should().NotBeNull($"Verify refused '{name}' ({exception.Message}), which every reader reads alike");
            exception.Message.Should().Contain(refusal!);
            Directory.Exists(_temp["ours"]).Should().BeFalse();
            return;
        }

        refusal.Should().BeNull($"'{name}' must be refused ({refusal})");
        ours.Should().NotBeEmpty();
        foreach (var (reader, command) in new[]
        {
            ("gnu-tar", new[] { "tar", "-xf", path }),
            ("bsdtar", ["bsdtar", "-xf", path]),
            ("tarfile", ["python3", "-c", "import sys, tarfile\nwith tarfile.open(sys.argv[1]) as archive:\n    archive.extractall('.', filter='data')", path]),
        })
        {
            Directory.CreateDirectory(_temp[reader]);
            Shell.RunIn(_temp[reader], command[0], command[1..]);
            Tree(_temp[reader]).Should().BeEquivalentTo(ours, $"{reader} must install what Verify checked in '{name}'");
        }
    }

    private static Dictionary<string, string> Tree(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(x => Path.GetRelativePath(root, x), x => System.IO.File.ReadAllText(x));
}
