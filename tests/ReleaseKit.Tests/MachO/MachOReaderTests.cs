using ReleaseKit.MachO;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.MachO;

public class MachOReaderTests(MachOFixtures fixtures) : IClassFixture<MachOFixtures>
{
    private MachOSlice Single(string name)
    {
        var file = MachOReader.Read(fixtures[name]);
        file.Error.Should().BeNull();
        return file.Slices.Should().ContainSingle().Subject;
    }

    [Fact]
    public void Reads_an_executable_with_its_libraries_rpaths_and_deployment_target()
    {
        var app = Single("app");

        app.Architecture.Should().Be("arm64");
        app.FileTypeName.Should().Be("execute");
        app.Libraries.Should().ContainEquivalentOf(new LinkedLibrary("@rpath/liba.dylib", "load"));
        app.Rpaths.Should().Equal("@loader_path/../lib", "/opt/homebrew/lib");
        app.MinimumOs.Should().Be(new OsVersion(11, 0, 0));
        app.Sdk.Should().Be(new OsVersion(13, 0, 0));
    }

    [Fact]
    public void Sees_the_linkers_own_ad_hoc_signature()
    {
        var signature = Single("app").Signature!;

        signature.IsAdHoc.Should().BeTrue();
        signature.IsLinkerSigned.Should().BeTrue();
        signature.HasHardenedRuntime.Should().BeFalse();
        signature.HasCms.Should().BeFalse();
        signature.CmsHasTimestamp.Should().BeFalse();
        signature.TeamId.Should().BeNull();
        signature.Identifier.Should().Be("app");
    }

    [Fact]
    public void Reads_a_dylibs_install_name()
    {
        Single("liba.dylib").InstallName.Should().Be("@rpath/liba.dylib");
        Single("absolute.dylib").InstallName.Should().Be("/usr/local/lib/libabsolute.dylib");
    }

    [Fact]
    public void An_unsigned_file_has_no_signature()
    {
        Single("unsigned.dylib").Signature.Should().BeNull();
        Single("liba-x86_64.dylib").Signature.Should().BeNull("lld signs only arm64 output by itself");
    }

    [Fact]
    public void Reads_every_slice_of_a_universal_file()
    {
        var file = MachOReader.Read(fixtures["liba-universal.dylib"]);

        file.IsUniversal.Should().BeTrue();
        file.Slices.Select(x => x.Architecture).Should().BeEquivalentTo(["arm64", "x86_64"]);
        file.Slices.Single(x => x.Architecture == "arm64").Signature.Should().NotBeNull();
        file.Slices.Single(x => x.Architecture == "x86_64").Signature.Should().BeNull();
        file.Slices.Should().OnlyContain(x => x.InstallName == "@rpath/liba.dylib");
    }

    [Fact]
    public void Tells_bundles_objects_and_an_old_SDK()
    {
        Single("plugin.so").FileTypeName.Should().Be("bundle");
        Single("lib-arm64.o").FileTypeName.Should().Be("object");
        Single("old-sdk.dylib").Sdk.Should().Be(new OsVersion(10, 8, 0));
    }

    [Fact]
    public void Page_hashes_of_an_untouched_file_match()
    {
        Single("app").Signature!.PagesMatch.Should().BeTrue();
        Single("liba.dylib").Signature!.PagesMatch.Should().BeTrue();
    }

    [Fact]
    public void A_byte_patched_after_signing_breaks_the_page_hashes()
    {
        var bytes = File.ReadAllBytes(fixtures["liba.dylib"]);
        var patched = Path.Combine(Path.GetDirectoryName(fixtures["liba.dylib"])!, "patched.dylib");
        bytes[2000] ^= 0xff; // padding after the load commands: the file still parses
        File.WriteAllBytes(patched, bytes);

        var file = MachOReader.Read(patched);

        file.IsValid.Should().BeTrue();
        file.Slices.Single().Signature!.PagesMatch.Should().BeFalse();
    }

    [Fact]
    public void A_truncated_file_is_reported_as_malformed_with_the_offset()
    {
        var bytes = File.ReadAllBytes(fixtures["app"]);
        var truncated = Path.Combine(Path.GetDirectoryName(fixtures["app"])!, "truncated");
        File.WriteAllBytes(truncated, bytes[..100]);

        var file = MachOReader.Read(truncated);

        file.IsValid.Should().BeFalse();
        file.Error.Should().StartWith("malformed Mach-O at offset ");
        file.Slices.Should().BeEmpty();
    }

    [Fact]
    public void Randomly_damaged_files_never_crash_the_reader()
    {
        var random = new Random(20261125);
        var damaged = Path.Combine(Path.GetDirectoryName(fixtures["app"])!, "damaged");
        var results = 0;
        foreach (var name in fixtures.All)
        {
            var original = File.ReadAllBytes(fixtures[name]);
            for (var round = 0; round < 300; round++)
            {
                var bytes = (byte[])original.Clone();
                // Headers and load commands sit in the first pages; signatures at the end.
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    var position = random.Next(2) == 0 ? random.Next(Math.Min(bytes.Length, 4096)) : random.Next(bytes.Length);
                    bytes[position] = (byte)random.Next(256);
                }
                File.WriteAllBytes(damaged, random.Next(10) == 0 ? bytes[..random.Next(bytes.Length)] : bytes);

                var act = () => MachOReader.Read(damaged);

                act.Should().NotThrow($"{name}, round {round}");
                results++;
            }
        }

        results.Should().Be(fixtures.All.Length * 300);
    }

    private static readonly uint[] Extremes = [0, 1, 7, 8, 12, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFF8, 0xFFFFFFFF];

    /// <summary>Where the fields that bound everything else live: fat header, Mach-O header, superblob index, CodeDirectory.</summary>
    private static IEnumerable<(int Position, bool BigEndian, string Field)> BoundingFields(byte[] bytes)
    {
        if (bytes.AsSpan(0, 4).SequenceEqual(new byte[] { 0xca, 0xfe, 0xba, 0xbe }))
        {
            yield return (4, true, "fat count");
            for (var i = 0; i < 2; i++)
            {
                yield return (8 + i * 20 + 8, true, $"fat slice {i} offset");
                yield return (8 + i * 20 + 12, true, $"fat slice {i} size");
            }
        }
        else
        {
            yield return (16, false, "ncmds");
            yield return (20, false, "sizeofcmds");
            yield return (32 + 4, false, "first load command size");
        }

        byte[] superblob = [0xfa, 0xde, 0x0c, 0xc0], directory = [0xfa, 0xde, 0x0c, 0x02];
        var blob = bytes.AsSpan().IndexOf(superblob);
        if (blob >= 0)
        {
            yield return (blob + 4, true, "superblob length");
            yield return (blob + 8, true, "superblob count");
            for (var i = 0; i < 3; i++)
                yield return (blob + 16 + i * 8, true, $"superblob index {i} offset");
        }

        var code = bytes.AsSpan().IndexOf(directory);
        if (code >= 0)
        {
            foreach (var (offset, field) in new[] { (4, "length"), (16, "hashOffset"), (20, "identOffset"), (28, "nCodeSlots"), (32, "codeLimit"), (48, "teamOffset") })
                yield return (code + offset, true, $"CodeDirectory {field}");
        }
    }

    [Fact]
    public void Extreme_values_in_every_bounding_field_give_a_result_quickly_never_an_exception()
    {
        var damaged = Path.Combine(Path.GetDirectoryName(fixtures["app"])!, "extreme");
        var random = new Random(20261203);
        var tried = 0;
        var malformed = 0;
        foreach (var name in fixtures.All)
        {
            var original = File.ReadAllBytes(fixtures[name]);
            foreach (var (position, bigEndian, field) in BoundingFields(original).Where(x => x.Position + 4 <= original.Length))
            {
                foreach (var value in Extremes.Append((uint)random.Next()))
                {
                    var bytes = (byte[])original.Clone();
                    if (bigEndian)
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(position), value);
                    else
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position), value);
                    File.WriteAllBytes(damaged, bytes);
                    var clock = System.Diagnostics.Stopwatch.StartNew();

                    var read = () => MachOReader.Read(damaged);

                    var file = read.Should().NotThrow($"{name}: {field} = 0x{value:x8}").Subject;
                    clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), $"{name}: {field} = 0x{value:x8}");
                    tried++;
                    malformed += file.Error is null ? 0 : 1;
                }
            }
        }

        tried.Should().BeGreaterThan(500);
        malformed.Should().BeGreaterThan(tried / 3, "most extreme bounds are damage the reader must name");
    }

    [Fact]
    public void A_superblob_index_offset_that_wraps_around_is_a_malformed_file()
    {
        var bytes = File.ReadAllBytes(fixtures["liba.dylib"]);
        var blob = bytes.AsSpan().IndexOf(new byte[] { 0xfa, 0xde, 0x0c, 0xc0 });
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(blob + 16), 0xFFFFFFF8);
        var damaged = Path.Combine(Path.GetDirectoryName(fixtures["app"])!, "wrapped");
        File.WriteAllBytes(damaged, bytes);

        MachOReader.Read(damaged).Error.Should().Contain("outside the superblob");
    }

    [Fact]
    public void A_universal_header_longer_than_the_file_is_a_malformed_file()
    {
        var damaged = Path.Combine(Path.GetDirectoryName(fixtures["app"])!, "short-fat");
        File.WriteAllBytes(damaged, [0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 20, 0, 0, 0, 12, 0, 0, 0, 0]);

        MachOReader.Read(damaged).Error.Should().Contain("runs past the end of the file");
    }
}
