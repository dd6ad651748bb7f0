using System.Formats.Tar;
using ReleaseKit.Archives;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Archives;

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

        await act.Should().ThrowAsync<ReleaseException>();
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

    private async Task<string> WriteTar(string name, params TarEntry[] entries)
    {
        var archive = _temp[name];
        await using (var stream = File.Create(archive))
        await using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
        {
            foreach (var entry in entries)
                await writer.WriteEntryAsync(entry);
        }

        return archive;
    }

    private string GnuTarGz()
    {
        TreeBuilder.PythonLike(_temp["source"]);
        var archive = _temp["tree.tar.gz"];
        Shell.RunIn(_temp["source"], "tar", "-czf", archive, "python");
        return archive;
    }

    /// <summary>l1 -> l2/../l2/../l2, l2 -> l3/../l3/../l3, ...: naive resolution triples its work with every link.</summary>
    private static TarEntry[] LinkChain(int links) =>
    [
        DirectoryEntry("end"),
        .. Enumerable.Range(1, links).Select(i => LinkEntry(TarEntryType.SymbolicLink, $"l{i}",
            i == links ? "end" : string.Join("/../", Enumerable.Repeat($"l{i + 1}", 3)))),
    ];

    [Fact]
    public async Task Symlinks_that_name_each_other_through_dot_dot_chains_resolve_in_linear_time()
    {
        var archive = await WriteTar("chain.tar", LinkChain(30));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await SafeExtractor.ExtractAsync(archive, Target);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "3^30 steps would run for days");
        result.SymbolicLinks.Should().Be(30);
    }

    [Fact]
    public async Task The_whole_archive_has_a_budget_of_link_steps()
    {
        var archive = await WriteTar("chain.tar", LinkChain(30));

        var act = () => SafeExtractor.ExtractAsync(archive, Target, limits: new ExtractionLimits(MaxLinkSteps: 50));

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*more than 50 steps*");
        Directory.Exists(Target).Should().BeFalse();
    }

    [Fact]
    public async Task A_symlink_loop_is_refused()
    {
        var archive = await WriteTar("loop.tar", LinkEntry(TarEntryType.SymbolicLink, "a", "b/x"), LinkEntry(TarEntryType.SymbolicLink, "b", "a/y"));

        var act = () => SafeExtractor.ExtractAsync(archive, Target);

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*through a loop*");
    }

    public static TheoryData<string, TarEntry[], string> AliasesOnAFoldingVolume() => new()
    {
        { "file under a link spelled in other case", [LinkEntry(TarEntryType.SymbolicLink, "AB", "."), FileEntry("ab/evil", "x")], "not a folder" },
        { "two spellings of one file", [FileEntry("Readme", "1"), FileEntry("README", "2")], "appears twice as Readme" },
        { "composed and decomposed", [FileEntry("caf\u00e9", "1"), FileEntry("cafe\u0301", "2")], "appears twice" },
        { "hard link through a folded link", [LinkEntry(TarEntryType.SymbolicLink, "X", ".."), FileEntry("f", "x"), LinkEntry(TarEntryType.HardLink, "x/g", "f")], "not a folder" },
    };

    [Theory]
    [MemberData(nameof(AliasesOnAFoldingVolume))]
    public async Task On_a_case_insensitive_volume_names_that_fold_together_are_one_name(string _, TarEntry[] entries, string reason)
    {
        var archive = await WriteTar("alias.tar", entries);

        var act = () => SafeExtractor.ExtractAsync(archive, Target, foldsNames: true);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().StartWith("Refusing to extract").And.Contain(reason);
        Directory.Exists(Target).Should().BeFalse();
    }

    [Fact]
    public async Task On_a_case_sensitive_volume_names_differing_in_case_are_two_files()
    {
        var archive = await WriteTar("case.tar", FileEntry("Readme", "1"), FileEntry("README", "2"));

        var result = await SafeExtractor.ExtractAsync(archive, Target, foldsNames: false);

        result.Files.Should().Be(2);
    }

    [Fact]
    public async Task Caps_total_bytes_and_entries_and_removes_the_target()
    {
        var archive = GnuTarGz();

        var bytes = () => SafeExtractor.ExtractAsync(archive, Target, limits: new ExtractionLimits(MaxBytes: 20));
        var entries = () => SafeExtractor.ExtractAsync(archive, Target, limits: new ExtractionLimits(MaxEntries: 5));

        await bytes.Should().ThrowAsync<ReleaseException>().WithMessage("*expands to more than 20 B*");
        Directory.Exists(Target).Should().BeFalse();
        await entries.Should().ThrowAsync<ReleaseException>().WithMessage("*more than 5 entries*");
        Directory.Exists(Target).Should().BeFalse();
    }

    [Theory]
    [InlineData("truncated gzip", "gz")]
    [InlineData("bad gzip CRC", "gz")]
    [InlineData("gzip without its trailer", "gz")]
    [InlineData("truncated zstd", "zst")]
    public async Task A_damaged_archive_is_our_own_error_naming_it(string damage, string kind)
    {
        TreeBuilder.PythonLike(_temp["source"]);
        var archive = _temp[$"tree.tar.{kind}"];
        if (kind == "gz")
            Shell.RunIn(_temp["source"], "tar", "-czf", archive, "python");
        else
            Shell.RunIn(_temp["source"], "tar", "--zstd", "-cf", archive, "python");
        var bytes = File.ReadAllBytes(archive);
        var damaged = damage switch
        {
            "truncated gzip" or "truncated zstd" => bytes[..(bytes.Length * 2 / 3)],
            "gzip without its trailer" => bytes[..^8],
            _ => [.. bytes[..^8], (byte)(bytes[^8] ^ 0xFF), .. bytes[^7..]],
        };
        File.WriteAllBytes(archive, damaged);

        var act = () => SafeExtractor.ExtractAsync(archive, Target);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain(archive).And.Contain("download it again");
        Directory.Exists(Target).Should().BeFalse();
    }

    [Fact]
    public async Task A_name_longer_than_the_file_system_takes_is_our_own_error()
    {
        var archive = await WriteTar("long.tar", FileEntry(new string('n', 300), "x"));

        var act = () => SafeExtractor.ExtractAsync(archive, Target);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain(archive);
        Directory.Exists(Target).Should().BeFalse();
    }

    [Fact]
    public async Task An_explicit_folder_entry_after_the_files_inside_it_is_accepted()
    {
        var archive = await WriteTar("late-folder.tar", FileEntry("d/f", "x"), new PaxTarEntry(TarEntryType.Directory, "d/") { Mode = (UnixFileMode)0x1C0 });

        var result = await SafeExtractor.ExtractAsync(archive, Target);

        result.Files.Should().Be(1);
        File.GetUnixFileMode(_temp["target/d"]).Should().Be((UnixFileMode)0x1C0);
    }

    [Fact]
    public void Makes_every_folder_writable_for_its_owner_so_a_non_root_user_can_delete_the_tree()
    {
        TreeBuilder.PythonLike(_temp["tree"]);
        Directory.CreateDirectory(_temp["tree/locked/inner"]);
        File.SetUnixFileMode(_temp["tree/locked/inner"], UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.SetUnixFileMode(_temp["tree/locked"], UnixFileMode.UserRead | UnixFileMode.UserExecute);

        SafeExtractor.MakeWritable(_temp["tree"]);

        Directory.GetDirectories(_temp["tree"], "*", SearchOption.AllDirectories)
            .Should().OnlyContain(x => File.GetUnixFileMode(x).HasFlag(UnixFileMode.UserWrite));
    }

    private static PaxTarEntry FileEntry(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Mode = TreeBuilder.Regular };

    private static PaxTarEntry DirectoryEntry(string name) => new(TarEntryType.Directory, name) { Mode = TreeBuilder.Executable };

    private static PaxTarEntry LinkEntry(TarEntryType type, string name, string target) => new(type, name) { LinkName = target };
}
