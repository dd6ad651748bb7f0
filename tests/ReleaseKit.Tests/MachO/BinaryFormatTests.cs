using ReleaseKit.MachO;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.MachO;

public class BinaryFormatTests
{
    [Fact]
    public void Reads_a_thin_arm64_Mach_O()
    {
        var format = BinaryFormat.Identify(MachOFiles.Thin(MachOFiles.Arm64));

        format.Should().Be(new BinaryFormat(BinaryFormat.MachO, ["arm64"]) with { Architectures = format.Architectures });
        format.Architectures.Should().Equal("arm64");
        format.RunsOnAppleSilicon.Should().BeTrue();
    }

    [Fact]
    public void Reads_a_big_endian_Mach_O_header()
    {
        BinaryFormat.Identify(MachOFiles.Thin(MachOFiles.X86_64, bigEndian: true)).Architectures.Should().Equal("x86_64");
    }

    [Fact]
    public void An_x86_64_only_Mach_O_does_not_run_on_Apple_Silicon()
    {
        var format = BinaryFormat.Identify(MachOFiles.Thin(MachOFiles.X86_64));

        format.IsMachO.Should().BeTrue();
        format.RunsOnAppleSilicon.Should().BeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lists_every_slice_of_a_universal_binary(bool wide)
    {
        var format = BinaryFormat.Identify(MachOFiles.Fat(wide, MachOFiles.X86_64, MachOFiles.Arm64));

        format.Kind.Should().Be(BinaryFormat.UniversalMachO);
        format.Architectures.Should().Equal("x86_64", "arm64");
        format.RunsOnAppleSilicon.Should().BeTrue();
    }

    [Fact]
    public void A_universal_binary_without_arm64_does_not_run_on_Apple_Silicon()
    {
        BinaryFormat.Identify(MachOFiles.Fat(false, MachOFiles.X86_64)).RunsOnAppleSilicon.Should().BeFalse();
    }

    [Fact]
    public void Tells_a_Java_class_file_from_a_universal_binary()
    {
        BinaryFormat.Identify(MachOFiles.JavaClass()).Kind.Should().Be(BinaryFormat.Other);
    }

    [Fact]
    public void Recognises_this_machines_ELF_python()
    {
        var python = new ReleaseKit.Tooling.ToolLocator(Environment.GetEnvironmentVariable("PATH")!).Find("python3");
        var real = File.ResolveLinkTarget(python, true)?.FullName ?? python;

        var format = BinaryFormat.Read(File.ReadAllText(real).StartsWith("#!") ? "/proc/self/exe" : real);

        format.Kind.Should().Be(BinaryFormat.Elf);
        format.Architectures.Should().ContainSingle().Which.Should().BeOneOf("x86_64", "arm64");
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xcf, 0xfa, 0xed })]
    [InlineData(new byte[] { 0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 5 })]
    [InlineData(new byte[] { (byte)'#', (byte)'!', (byte)'/', (byte)'b', (byte)'i', (byte)'n', (byte)'/', (byte)'s' })]
    public void Short_truncated_or_text_files_are_not_executables(byte[] header)
    {
        BinaryFormat.Identify(header).Kind.Should().Be(BinaryFormat.Other);
    }
}
