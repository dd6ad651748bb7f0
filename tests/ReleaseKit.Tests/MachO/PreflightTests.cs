using ReleaseKit.MachO;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.MachO;

public class PreflightTests(MachOFixtures fixtures) : IClassFixture<MachOFixtures>, IDisposable
{
    private readonly TempDirectory _bundle = new("preflight");

    public void Dispose() => _bundle.Dispose();

    private void Place(string fixture, string relative)
    {
        var target = _bundle[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(fixtures[fixture], target);
    }

    private IReadOnlyList<string> Problems(PreflightMode mode = PreflightMode.Release) =>
        Preflight.Run(_bundle.Path, mode, libraryValidation: false, ["msty-mlx-studio"]).Findings
            .Select(x => $"{x.File} {x.Severity}: {x.Problem}").ToArray();

    [Fact]
    public void Finds_Mach_O_files_by_content_and_skips_objects_archives_text_and_links()
    {
        Place("launcher", "msty-mlx-studio");
        Place("liba.dylib", "_vendor/pkg/.dylibs/libdep.dylib");
        Place("plugin.so", "_vendor/pkg/_native.cpython-312-darwin.so");
        Place("liba-universal.dylib", "_vendor/pkg/universal.dylib");
        Place("lib-arm64.o", "_vendor/pkg/leftover.o");
        _bundle.Write("_vendor/pkg/libstatic.a", "!<arch>\n" + new string('x', 64));
        _bundle.Write("_vendor/pkg/__init__.py", new string('#', 64));
        File.WriteAllBytes(_bundle["_vendor/pkg/Main.class"], [.. MachOFiles.JavaClass(), .. new byte[40]]);
        File.CreateSymbolicLink(_bundle["_vendor/pkg/link.dylib"], ".dylibs/libdep.dylib");

        MachOScanner.Find(_bundle.Path).Select(x => Path.GetRelativePath(_bundle.Path, x))
            .Should().Equal("_vendor/pkg/.dylibs/libdep.dylib", "_vendor/pkg/_native.cpython-312-darwin.so", "_vendor/pkg/universal.dylib", "msty-mlx-studio");
    }

    [Fact]
    public void Linker_signatures_fail_a_release_but_only_warn_locally()
    {
        Place("launcher", "msty-mlx-studio");

        Problems().Should().BeEquivalentTo([
            "msty-mlx-studio error: only linker-signed (ad-hoc)",
            "msty-mlx-studio error: no hardened runtime (sign with --options runtime)"]);
        Problems(PreflightMode.Local).Should().OnlyContain(x => x.Contains(" warning: "));
    }

    [Fact]
    public void Reports_unsigned_files_missing_arm64_old_SDKs_and_paths_outside_the_bundle_in_any_mode()
    {
        Place("unsigned.dylib", "_vendor/unsigned.dylib");
        Place("liba-x86_64.dylib", "_vendor/intel.dylib");
        Place("old-sdk.dylib", "_vendor/old.dylib");
        Place("app", "bin/tool");

        var problems = Problems(PreflightMode.Local);

        problems.Should().Contain("_vendor/unsigned.dylib error: not signed");
        problems.Should().Contain(x => x.StartsWith("_vendor/intel.dylib error: no arm64 slice"));
        problems.Should().Contain("_vendor/old.dylib error: built with SDK 10.8, older than 10.9");
        problems.Should().Contain("bin/tool error: refers to /opt/homebrew/lib, outside the bundle and the system");
        problems.Should().NotContain(x => x.Contains("@loader_path") || x.Contains("@rpath"));
    }

    [Fact]
    public void A_file_changed_after_signing_is_an_error_in_any_mode()
    {
        var bytes = File.ReadAllBytes(fixtures["liba.dylib"]);
        bytes[2000] ^= 0xff;
        File.WriteAllBytes(_bundle["lib.dylib"], bytes);

        Problems(PreflightMode.Local).Should().Contain("lib.dylib error: the signature no longer matches the file: it changed after signing (sign it again, last)");
    }

    [Fact]
    public void A_damaged_file_is_an_error_not_a_crash()
    {
        var bytes = File.ReadAllBytes(fixtures["launcher"]);
        File.WriteAllBytes(_bundle["msty-mlx-studio"], bytes[..200]);

        Problems(PreflightMode.Local).Should().ContainSingle().Which.Should().Contain("error: malformed Mach-O at offset");
    }

    [Fact]
    public void The_report_serialises_to_JSON_with_a_verdict()
    {
        Place("unsigned.dylib", "lib.dylib");

        var report = Preflight.Run(_bundle.Path, PreflightMode.Local, false, []);

        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        json.RootElement.GetProperty("passed").GetBoolean().Should().BeFalse();
        json.RootElement.GetProperty("files").GetInt32().Should().Be(1);
        json.RootElement.GetProperty("findings")[0].GetProperty("problem").GetString().Should().Be("not signed");
    }
}
