using ReleaseKit.MachO;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.MachO;

public class PreflightTests(MachOFixtures fixtures) : IClassFixture<MachOFixtures>, IDisposable
{
    private readonly TempDirectory _bundle = new("preflight");

    public void Dispose() => _bundle.Dispose();

    private void Place(string fixture, string relative) => fixtures.Place(fixture, _bundle.Path, relative);

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
    public void A_debug_entitlement_is_an_error_in_any_mode()
    {
        File.WriteAllBytes(_bundle["msty-mlx-studio"], WithEntitlements(File.ReadAllBytes(fixtures["launcher"]), """
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict><key>com.apple.security.get-task-allow</key><true/></dict></plist>
            """));

        var signature = MachOReader.Read(_bundle["msty-mlx-studio"]).Slices.Single().Signature!;

        signature.Entitlements.Should().Contain("get-task-allow");
        Problems(PreflightMode.Local).Should().Contain("msty-mlx-studio error: requests the com.apple.security.get-task-allow entitlement (debug builds only)");
    }

    [Fact]
    public void A_debug_entitlement_set_to_false_is_no_problem_whatever_else_is_true()
    {
        File.WriteAllBytes(_bundle["msty-mlx-studio"], WithEntitlements(File.ReadAllBytes(fixtures["launcher"]), """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0"><dict>
              <key>com.apple.security.get-task-allow</key><false/>
              <key>com.apple.security.cs.disable-library-validation</key><true/>
            </dict></plist>
            """));

        Problems(PreflightMode.Local).Should().NotContain(x => x.Contains("get-task-allow") || x.Contains("property list"));
    }

    [Fact]
    public void Entitlements_that_are_not_a_property_list_are_an_error()
    {
        File.WriteAllBytes(_bundle["msty-mlx-studio"], WithEntitlements(File.ReadAllBytes(fixtures["launcher"]), "<plist><dict><key>x</key>"));

        Problems(PreflightMode.Local).Should().Contain(x => x.StartsWith("msty-mlx-studio error: its entitlements are not a property list macOS can read"));
    }

    [Fact]
    public void Static_libraries_are_never_signed_and_a_universal_one_fails_a_release_as_the_notary_service_would()
    {
        Place("libstatic-arm64.a", "_vendor/pkg/lib/libthin.a");
        Place("libstatic-universal.a", "_vendor/pkg/lib/libfat.a");
        Place("liba-universal.dylib", "_vendor/pkg/lib/libfat.dylib");

        MachOScanner.Classify(fixtures["libstatic-universal.a"]).Should().Be(CodeKind.UniversalStaticLibrary);
        MachOScanner.Find(_bundle.Path).Select(x => Path.GetRelativePath(_bundle.Path, x)).Should().Equal("_vendor/pkg/lib/libfat.dylib");
        var release = Problems();
        release.Should().Contain(x => x.StartsWith("_vendor/pkg/lib/libfat.a error: a universal static library: the notary service rejects it") && x.Contains("remove it from the bundle"));
        release.Should().Contain(x => x.StartsWith("_vendor/pkg/lib/libthin.a warning: a static library: the notary service ignores it"));
        release.Should().NotContain(x => x.Contains("malformed"));
        Problems(PreflightMode.Local).Should().Contain(x => x.StartsWith("_vendor/pkg/lib/libfat.a warning: a universal static library"));
    }

    [Fact]
    public void A_file_that_needs_a_newer_macOS_than_the_minimum_is_an_error_naming_both_versions()
    {
        Place("macos15.dylib", "_vendor/mlx/lib/libmlx.dylib");
        Place("liba.dylib", "_vendor/liba.dylib");

        string[] Findings(string minimum) => Preflight.Run(_bundle.Path, PreflightMode.Local, false, [], OsVersion.TryParse(minimum)).Findings
            .Select(x => $"{x.File} {x.Architecture} {x.Severity}: {x.Problem}").ToArray();

        Findings("14.0").Should().ContainSingle(x => x.Contains("macOS")).Which
            .Should().StartWith("_vendor/mlx/lib/libmlx.dylib arm64 error: needs macOS 15.0, newer than the oldest supported macOS 14.0 (--macos-min)");
        Findings("15").Should().NotContain(x => x.Contains("needs macOS"));
    }

    /// <summary>
    /// The file with its signature re-wrapped: the same CodeDirectory plus an entitlements blob,
    /// appended at the end with LC_CODE_SIGNATURE pointed at it (lld cannot embed entitlements).
    /// </summary>
    private static byte[] WithEntitlements(byte[] file, string plist)
    {
        static uint Be(byte[] b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));
        static uint Le(byte[] b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
        static byte[] BeBytes(params uint[] values) => values.SelectMany(v => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v }).ToArray();

        var command = 32;
        while (Le(file, command) != 0x1d)
            command += (int)Le(file, command + 4);
        var blob = (int)Le(file, command + 8);
        var directoryAt = blob + (int)Be(file, blob + 16);
        var directory = file.AsSpan(directoryAt, (int)Be(file, directoryAt + 4)).ToArray();
        var xml = System.Text.Encoding.UTF8.GetBytes(plist);
        byte[] entitlements = [.. BeBytes(0xfade7171, (uint)(8 + xml.Length)), .. xml];
        var length = 28 + directory.Length + entitlements.Length;
        byte[] superblob = [.. BeBytes(0xfade0cc0, (uint)length, 2, 0, 28, 5, (uint)(28 + directory.Length)), .. directory, .. entitlements];

        var start = (file.Length + 15) / 16 * 16;
        var result = new byte[start + superblob.Length];
        file.CopyTo(result, 0);
        superblob.CopyTo(result, start);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(command + 8), (uint)start);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(command + 12), (uint)superblob.Length);
        return result;
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
