using System.IO.Compression;
using ReleaseKit.Bundling;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Bundling;

public class WheelUnpackerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Unpacks_purelib_and_scripts_like_a_target_install_and_keeps_modes()
    {
        var wheel = _temp["pkg-1.0-py3-none-any.whl"];
        using (var zip = ZipFile.Open(wheel, ZipArchiveMode.Create))
        {
            Add(zip, "pkg/__init__.py", 0x1A4);
            Add(zip, "pkg/_native.so", 0x1ED);
            Add(zip, "pkg-1.0.data/purelib/extra.py", 0x1A4);
            Add(zip, "pkg-1.0.data/scripts/tool", 0);
            Add(zip, "pkg-1.0.data/data/share/man/tool.1", 0x1A4);
        }

        WheelUnpacker.Unpack(wheel, _temp["vendor"]);

        File.GetUnixFileMode(_temp["vendor/pkg/_native.so"]).Should().Be((UnixFileMode)0x1ED);
        File.Exists(_temp["vendor/extra.py"]).Should().BeTrue();
        File.GetUnixFileMode(_temp["vendor/bin/tool"]).Should().Be((UnixFileMode)0x1ED);
        Directory.Exists(_temp["vendor/share"]).Should().BeFalse();
    }

    [Theory]
    [InlineData("../escape.py")]
    [InlineData("/abs.py")]
    [InlineData("pkg/../../escape.py")]
    public void Refuses_paths_outside_the_target(string name)
    {
        var wheel = _temp["evil-1.0-py3-none-any.whl"];
        using (var zip = ZipFile.Open(wheel, ZipArchiveMode.Create))
            Add(zip, name, 0x1A4);

        var act = () => WheelUnpacker.Unpack(wheel, _temp["vendor"]);

        act.Should().Throw<ReleaseException>().WithMessage("*damaged or hostile*");
        File.Exists(_temp["escape.py"]).Should().BeFalse();
    }

    private static void Add(ZipArchive zip, string name, int mode)
    {
        var entry = zip.CreateEntry(name);
        entry.ExternalAttributes = mode << 16;
        using var stream = entry.Open();
        stream.Write("x"u8);
    }
}
