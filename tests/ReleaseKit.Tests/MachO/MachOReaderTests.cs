using ReleaseKit.MachO;

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
        app.MinimumOs.Should().Be(new MachOVersion(11, 0, 0));
        app.Sdk.Should().Be(new MachOVersion(13, 0, 0));
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
        Single("old-sdk.dylib").Sdk.Should().Be(new MachOVersion(10, 8, 0));
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
}
