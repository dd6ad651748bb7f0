using System.Formats.Tar;
using ReleaseKit.Archives;
using ReleaseKit.Packaging;
using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Packaging;

public class PackagerTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly TempDirectory _temp = new();

    public PackagerTests()
    {
        TreeBuilder.PythonLike(Bundle);
        TreeBuilder.File(Bundle, "msty-mlx-studio", "launcher", TreeBuilder.Executable);
        TreeBuilder.File(Bundle, "._msty-mlx-studio", "AppleDouble", TreeBuilder.Regular);
        TreeBuilder.Symlink(Bundle, "python/lib/current", "python3.12");
    }

    public void Dispose() => _temp.Dispose();

    private string Bundle => _temp["dist-ext-python/msty-mlx-studio"];

    private string Artifacts => _temp["artifacts"];

    private void Sign(bool adHoc = false) =>
        SignatureRecord.Write(Bundle, new SignatureRecord(adHoc ? "-" : "Developer ID Application: Example (TEAM123456)", adHoc, 3, SignatureRecord.FingerprintOf(Bundle), Epoch)
        {
            Contents = SignatureRecord.HashContentsAsync(Bundle, CancellationToken.None).GetAwaiter().GetResult(),
        });

    private Task<PackageResult> Package(bool allowAdHoc = false, CancellationToken cancellationToken = default) =>
        Packager.PackageAsync(Bundle, "msty-mlx-studio", "2.0.0b6", Artifacts, Epoch, allowAdHoc, cancellationToken);

    private static IReadOnlyList<string> Expected(string source) =>
        TreeBuilder.Describe(source, withTimes: false).Where(x => !x.StartsWith("._")).ToArray();

    [Fact]
    public async Task Writes_the_tarball_and_its_checksum_file()
    {
        Sign();

        var result = await Package();

        result.Tarball.Should().Be(Path.Combine(Artifacts, "msty-mlx-studio-2.0.0b6.tgz"));
        File.ReadAllText(result.ChecksumFile).Should().Be($"{result.Sha256}  msty-mlx-studio-2.0.0b6.tgz\n");
        Shell.RunIn(Artifacts, "sha256sum", "-c", "msty-mlx-studio-2.0.0b6.tgz.sha256");
        Directory.GetFiles(Artifacts).Select(Path.GetFileName).Should().BeEquivalentTo(["msty-mlx-studio-2.0.0b6.tgz", "msty-mlx-studio-2.0.0b6.tgz.sha256"]);
    }

    [Theory]
    [InlineData("tar", "-xzf")]
    [InlineData("bsdtar", "-xzf")]
    [InlineData("python3", "tarfile")]
    public async Task Extracts_with_other_tar_readers_keeping_symlinks_modes_dot_files_and_long_paths(string tool, string flags)
    {
        Sign();
        var result = await Package();
        Directory.CreateDirectory(_temp["out"]);

        if (tool == "python3")
            Shell.RunIn(_temp["out"], tool, "-c", "import sys, tarfile\nwith tarfile.open(sys.argv[1]) as archive:\n    archive.extractall('.', filter='data')", result.Tarball);
        else
            Shell.RunIn(_temp["out"], tool, flags, result.Tarball);

        Directory.GetFileSystemEntries(_temp["out"]).Select(Path.GetFileName).Should().Equal(["msty-mlx-studio"], "every path is under the one top folder");
        // The data filter gives the owner write permission on purpose; the rest must match.
        string Comparable(string entry) => tool == "python3" ? entry.Replace(", UserWrite", "") : entry;
        Expected(Bundle).Select(Comparable).Should().Equal(TreeBuilder.Describe(_temp["out/msty-mlx-studio"], withTimes: false).Select(Comparable));
        new FileInfo(_temp["out/msty-mlx-studio/python/bin/python3"]).LinkTarget.Should().Be("python3.12");
        File.GetLastWriteTimeUtc(_temp["out/msty-mlx-studio/python/lib/python3.12/os.py"]).Should().Be(Epoch.UtcDateTime);
    }

    [Fact]
    public async Task Leaves_the_ustar_prefix_field_empty_in_every_header()
    {
        Sign();
        var result = await Package();
        await using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(result.Tarball), System.IO.Compression.CompressionMode.Decompress);
        using var tar = new MemoryStream();
        await gzip.CopyToAsync(tar);
        var bytes = tar.ToArray();

        // Headers sit at 512-byte blocks; GNU's atime and ctime would occupy bytes 345-368, where ustar readers take the path prefix.
        var headers = 0;
        for (var offset = 0; offset + 512 <= bytes.Length; offset += 512)
        {
            var block = bytes.AsSpan(offset, 512);
            if (block[257..262].SequenceEqual("ustar"u8))
            {
                headers++;
                block[345..369].ToArray().Should().OnlyContain(x => x == 0, $"the header at {offset} leaves atime and ctime empty");
            }
        }
        headers.Should().BeGreaterThan(10);
    }

    [Fact]
    public async Task Extracts_with_the_safe_extractor()
    {
        Sign();
        var result = await Package();

        await SafeExtractor.ExtractAsync(result.Tarball, _temp["out"]);

        Expected(Bundle).Should().Equal(TreeBuilder.Describe(_temp["out/msty-mlx-studio"], withTimes: false));
    }

    [Fact]
    public async Task Has_one_top_folder_root_owned_sorted_entries_and_no_AppleDouble_files()
    {
        Sign();
        var result = await Package();

        var listing = Shell.Run("tar", "-tvzf", result.Tarball, "--numeric-owner").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var names = Shell.Run("tar", "-tzf", result.Tarball).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        names.Should().OnlyContain(x => x.StartsWith("msty-mlx-studio/"));
        names.Should().NotContain(x => Path.GetFileName(x.TrimEnd('/')).StartsWith("._"));
        names.Skip(1).Select(x => x.TrimEnd('/')).Should().BeInAscendingOrder(StringComparer.Ordinal);
        listing.Should().OnlyContain(x => x.Contains(" 0/0 "));
        listing.Should().OnlyContain(x => x.Contains("2023-11-14"), "every entry carries SOURCE_DATE_EPOCH");
        await using var reader = new TarReader(new System.IO.Compression.GZipStream(File.OpenRead(result.Tarball), System.IO.Compression.CompressionMode.Decompress));
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            var posix = entry.Should().BeAssignableTo<PosixTarEntry>().Subject;
            posix.UserName.Should().BeEmpty();
            posix.GroupName.Should().BeEmpty();
        }
    }

    [Fact]
    public async Task The_same_tree_gives_the_same_bytes()
    {
        Sign();
        var first = await Package();
        File.Move(first.Tarball, _temp["first.tgz"]);
        foreach (var file in Directory.EnumerateFiles(Bundle, "*", SearchOption.AllDirectories).Where(x => new FileInfo(x).LinkTarget is null))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
        Sign();

        var second = await Package();

        second.Sha256.Should().Be(first.Sha256);
        File.ReadAllBytes(second.Tarball).Should().Equal(File.ReadAllBytes(_temp["first.tgz"]));
    }

    [Fact]
    public async Task Refuses_an_unsigned_bundle_and_writes_nothing()
    {
        var act = () => Package();

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*is not signed: run Sign before Package*");
        Directory.Exists(Artifacts).Should().BeFalse();
    }

    [Fact]
    public async Task Refuses_a_bundle_changed_after_signing()
    {
        Sign();
        File.AppendAllText(Path.Combine(Bundle, "python/lib/python3.12/os.py"), "# patched later\n");

        var act = () => Package();

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*changed after it was signed*");
    }

    [Fact]
    public async Task Refuses_a_file_edited_after_signing_with_its_size_and_time_restored_and_leaves_no_artifact()
    {
        Sign();
        var script = Path.Combine(Bundle, "python/lib/python3.12/os.py");
        var time = File.GetLastWriteTimeUtc(script);
        var content = File.ReadAllBytes(script);
        content[0] ^= 0x20;
        File.WriteAllBytes(script, content);
        File.SetLastWriteTimeUtc(script, time);

        var act = () => Package();

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*python/lib/python3.12/os.py changed after it was signed*run Sign again*");
        Directory.GetFiles(Artifacts).Should().BeEmpty("the half-written tarball is removed");
    }

    [Fact]
    public async Task A_damaged_signing_record_is_an_error_that_says_to_sign_again()
    {
        Sign();
        File.WriteAllText(SignatureRecord.PathFor(Bundle), "{ \"Identity\": ");

        var act = () => Package();

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("The signing record * is damaged*run Sign again*");
    }

    [Fact]
    public async Task Removes_temporary_tarballs_that_killed_runs_left_behind()
    {
        Sign();
        Directory.CreateDirectory(Artifacts);
        // A process id far above any this machine hands out: that run is gone.
        var stale = Path.Combine(Artifacts, "msty-mlx-studio-2.0.0b6.tgz.tmp-999999999");
        var running = Path.Combine(Artifacts, $"msty-mlx-studio-2.0.0b6.tgz.tmp-{Environment.ProcessId + 0}");
        File.WriteAllText(stale, "half a tarball");

        await Package();

        File.Exists(stale).Should().BeFalse();
        File.Exists(running).Should().BeFalse();
        Directory.GetFiles(Artifacts).Select(Path.GetFileName).Should().BeEquivalentTo(["msty-mlx-studio-2.0.0b6.tgz", "msty-mlx-studio-2.0.0b6.tgz.sha256"]);
    }

    [Fact]
    public async Task Keeps_the_temporary_tarball_of_a_Package_still_running_elsewhere()
    {
        Sign();
        Directory.CreateDirectory(Artifacts);
        using var other = RunningProcess.Start("sleep", ["60"]);
        var theirs = Path.Combine(Artifacts, $"msty-mlx-studio-2.0.0b6.tgz.tmp-{other.Id}");
        File.WriteAllText(theirs, "being written");

        await Package();

        File.ReadAllText(theirs).Should().Be("being written");
    }

    [Fact]
    public async Task Packages_an_ad_hoc_bundle_only_when_ad_hoc_was_asked_for()
    {
        Sign(adHoc: true);

        await ((Func<Task>)(() => Package())).Should().ThrowAsync<ReleaseException>().WithMessage("*only ad-hoc signed*");
        (await Package(allowAdHoc: true)).Size.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task An_interrupted_package_leaves_no_artifact()
    {
        Sign();
        Directory.CreateDirectory(Artifacts);
        File.WriteAllText(Path.Combine(Artifacts, "msty-mlx-studio-2.0.0b6.tgz"), "from an earlier run");

        var act = () => Package(cancellationToken: new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        Directory.GetFiles(Artifacts).Should().BeEmpty("neither a partial tarball nor a stale one may look current");
    }

    [Fact]
    public async Task Package_step_uses_the_variant_bundle_version_and_ad_hoc_choice()
    {
        var root = _temp.Path;
        File.WriteAllText(Path.Combine(root, "package.json"), """{ "version": "2.0.0b6" }""");
        Sign(adHoc: true);
        var steps = new ReleasePipeline(new ReleaseSettings { RootDirectory = root, Signing = new() { SignId = "-" }, Notary = new() { SkipNotarize = true } });

        await steps.PackageAsync();

        steps.Results.Package!.Tarball.Should().Be(Path.Combine(root, "artifacts", "msty-mlx-studio-2.0.0b6.tgz"));
    }

    [Theory]
    [InlineData(null, 946684800)]
    [InlineData("1700000000", 1700000000)]
    public void Takes_the_time_from_SOURCE_DATE_EPOCH(string? epoch, long expected)
    {
        DeterministicTar.TimeFromEnvironment(name => name == "SOURCE_DATE_EPOCH" ? epoch : null).ToUnixTimeSeconds().Should().Be(expected);
    }

    [Fact]
    public void Rejects_a_SOURCE_DATE_EPOCH_that_is_not_a_number()
    {
        var act = () => DeterministicTar.TimeFromEnvironment(_ => "yesterday");

        act.Should().Throw<ReleaseException>().WithMessage("*SOURCE_DATE_EPOCH*");
    }
}
