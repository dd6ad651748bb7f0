using System.Formats.Tar;
using ReleaseKit.Packaging;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Packaging;

public class SafeExtractorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Target => _temp["target"];

    private string Outside => _temp["outside"];

    [Theory]
    [InlineData("-czf", "tree.tar.gz")]
    [InlineData("--zstd -cf", "tree.tar.zst")]
    [InlineData("-cf", "tree.tar")]
    public async Task Keeps_symlinks_hard_links_modes_times_and_dot_files_of_a_GNU_tar_archive(string flags, string name)
    {
        TreeBuilder.PythonLike(_temp["source"]);
        var archive = _temp[name];
        Shell.RunIn(_temp["source"], "tar", [.. flags.Split(' '), archive, "python"]);

        var result = await SafeExtractor.ExtractAsync(archive, Target);

        TreeBuilder.Describe(Path.Combine(Target, "python")).Should().Equal(TreeBuilder.Describe(_temp["source/python"]));
        result.SymbolicLinks.Should().Be(2);
        result.HardLinks.Should().Be(1);
        new FileInfo(_temp["target/python/bin/hardlinked-b"]).Length.Should().Be(10);
        Shell.Run("stat", "-c", "%h", _temp["target/python/bin/hardlinked-a"]).Trim().Should().Be("2", "a hard link stays a hard link");
    }

    [Fact]
    public async Task Detects_the_compression_from_the_content_not_the_name()
    {
        TreeBuilder.PythonLike(_temp["source"]);
        var archive = _temp["misnamed.tar"];
        Shell.RunIn(_temp["source"], "tar", "-czf", archive, "python");

        await SafeExtractor.ExtractAsync(archive, Target);

        File.Exists(_temp["target/python/lib/python3.12/os.py"]).Should().BeTrue();
    }

    [Fact]
    public async Task Refuses_to_extract_into_an_existing_folder()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, "keep"), "mine");

        var act = () => SafeExtractor.ExtractAsync(_temp["missing.tar"], Target);

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*already exists*");
        File.ReadAllText(Path.Combine(Target, "keep")).Should().Be("mine");
    }

    [Fact]
    public async Task A_truncated_archive_is_an_error_that_leaves_nothing_behind()
    {
        TreeBuilder.PythonLike(_temp["source"]);
        var archive = _temp["tree.tar.gz"];
        Shell.RunIn(_temp["source"], "tar", "-czf", archive, "python");
        var bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(archive, bytes[..(bytes.Length / 2)]);

        var act = () => SafeExtractor.ExtractAsync(archive, Target);

        await act.Should().ThrowAsync<Exception>();
        Directory.Exists(Target).Should().BeFalse();
    }

    public static TheoryData<string, TarEntry[], string> HostileArchives() => new()
    {
        { "parent path", [FileEntry("../evil", "x")], "climbs out" },
        { "nested parent path", [FileEntry("ok/../../evil", "x")], "climbs out" },
        { "absolute path", [FileEntry("/tmp/evil-absolute", "x")], "absolute" },
        { "absolute symlink", [LinkEntry(TarEntryType.SymbolicLink, "etc", "/etc")], "points outside" },
        { "escaping symlink", [LinkEntry(TarEntryType.SymbolicLink, "up", "../outside")], "points outside" },
        { "symlink chain", [DirectoryEntry("sub"), LinkEntry(TarEntryType.SymbolicLink, "sub/a", ".."), LinkEntry(TarEntryType.SymbolicLink, "sub/b", "a/../..")], "points outside" },
        { "file through a symlink", [LinkEntry(TarEntryType.SymbolicLink, "lib", "."), FileEntry("lib/evil", "x")], "not a folder" },
        { "escaping hard link", [LinkEntry(TarEntryType.HardLink, "passwd", "../outside/secret")], "climbs out" },
        { "absolute hard link", [LinkEntry(TarEntryType.HardLink, "passwd", "/etc/passwd")], "absolute" },
        { "hard link to nothing", [LinkEntry(TarEntryType.HardLink, "ghost", "missing")], "does not point to a file" },
        { "character device", [new PaxTarEntry(TarEntryType.CharacterDevice, "dev/zero")], "CharacterDevice" },
        { "block device", [new PaxTarEntry(TarEntryType.BlockDevice, "dev/sda")], "BlockDevice" },
        { "fifo", [new PaxTarEntry(TarEntryType.Fifo, "pipe")], "Fifo" },
        { "duplicate", [FileEntry("a", "1"), FileEntry("a", "2")], "appears twice" },
    };

    [Theory]
    [MemberData(nameof(HostileArchives))]
    public async Task Refuses_a_hostile_archive_and_writes_nothing_outside(string _, TarEntry[] entries, string reason)
    {
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret"), "secret");
        var archive = _temp["hostile.tar"];
        await using (var stream = File.Create(archive))
        await using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            foreach (var entry in entries)
                await writer.WriteEntryAsync(entry);
        }

        var act = () => SafeExtractor.ExtractAsync(archive, Target);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().StartWith("Refusing to extract").And.Contain(reason);
        Directory.Exists(Target).Should().BeFalse("a refused archive leaves no partial folder");
        Directory.GetFileSystemEntries(Outside).Should().Equal(Path.Combine(Outside, "secret"));
        File.Exists("/tmp/evil-absolute").Should().BeFalse();
        File.Exists(_temp["evil"]).Should().BeFalse();
    }

    [Fact]
    public async Task Allows_relative_symlinks_that_stay_inside()
    {
        var archive = _temp["ok.tar"];
        await using (var stream = File.Create(archive))
        await using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            await writer.WriteEntryAsync(FileEntry("python/lib/libpython.dylib", "lib"));
            await writer.WriteEntryAsync(LinkEntry(TarEntryType.SymbolicLink, "python/bin/lib", "../lib"));
            await writer.WriteEntryAsync(LinkEntry(TarEntryType.SymbolicLink, "python/bin/dangling", "not-there-yet"));
            await writer.WriteEntryAsync(LinkEntry(TarEntryType.SymbolicLink, "python/sub/up", ".."));
        }

        var result = await SafeExtractor.ExtractAsync(archive, Target);

        result.SymbolicLinks.Should().Be(3);
        File.ReadAllText(_temp["target/python/bin/lib/libpython.dylib"]).Should().Be("lib");
    }

    [Fact]
    public async Task Cancellation_stops_extraction_and_removes_the_folder()
    {
        TreeBuilder.PythonLike(_temp["source"]);
        var archive = _temp["tree.tar.gz"];
        Shell.RunIn(_temp["source"], "tar", "-czf", archive, "python");

        var act = () => SafeExtractor.ExtractAsync(archive, Target, new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        Directory.Exists(Target).Should().BeFalse();
    }

    private static PaxTarEntry FileEntry(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = TreeBuilder.Regular };

    private static PaxTarEntry DirectoryEntry(string name) => new(TarEntryType.Directory, name) { Mode = TreeBuilder.Executable };

    private static PaxTarEntry LinkEntry(TarEntryType type, string name, string target) => new(type, name) { LinkName = target };
}
