using System.Net.Sockets;
using ReleaseKit.Bundling;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Bundling;

public class TreeCopierTests : IDisposable
{
    private readonly TempDirectory _temp = new("tree-copy");

    public void Dispose() => _temp.Dispose();

    private string Source => _temp["python"];

    private string Copy => _temp["copy/python"];

    [Fact]
    public void Keeps_links_that_stay_inside_the_tree_with_modes_and_times()
    {
        TreeBuilder.File(Source, "bin/python3.12", "#!", TreeBuilder.Executable);
        TreeBuilder.Symlink(Source, "bin/python3", "python3.12");
        TreeBuilder.File(Source, "lib/python3.12/os.py", "# os", TreeBuilder.Regular);
        TreeBuilder.Symlink(Source, "lib/current", "python3.12");
        TreeBuilder.Symlink(Source, "lib/python3.12/bin", "../../bin");
        TreeBuilder.Symlink(Source, "lib/via-current", "current/../python3.12/os.py");

        TreeCopier.Copy(Source, Copy, "the python").Should().Be(9, "three folders, three files, three links");

        new FileInfo(Path.Combine(Copy, "bin/python3")).LinkTarget.Should().Be("python3.12");
        new FileInfo(Path.Combine(Copy, "lib/python3.12/bin")).LinkTarget.Should().Be("../../bin");
        File.GetUnixFileMode(Path.Combine(Copy, "bin/python3.12")).Should().Be(TreeBuilder.Executable);
        File.ReadAllText(Path.Combine(Copy, "lib/via-current")).Should().Be("# os");
    }

    [Fact]
    public void Refuses_absolute_links_and_links_that_climb_out_naming_each_before_copying_anything()
    {
        var outside = _temp.Write("outside/secret.py", "# not ours");
        TreeBuilder.File(Source, "bin/python3.12", "#!", TreeBuilder.Executable);
        File.CreateSymbolicLink(Path.Combine(Source, "bin/absolute"), outside);
        TreeBuilder.Symlink(Source, "lib/climbs", "../../outside/secret.py");
        TreeBuilder.Symlink(Source, "lib/up", "..");
        // Lexically lib/up/../x is lib/x, but the kernel takes ".." from the link's target: up is the root, so up/.. leaves it.
        TreeBuilder.Symlink(Source, "lib/tricky", "up/../x");

        var act = () => TreeCopier.Copy(Source, Copy, "The python to bundle (/opt/py)");

        act.Should().Throw<ReleaseException>()
            .Which.Message.Should().StartWith("The python to bundle (/opt/py) has 3 link(s) that point outside it")
            .And.Contain($"bin/absolute -> {outside}").And.Contain("lib/climbs -> ../../outside/secret.py").And.Contain("lib/tricky -> up/../x")
            .And.NotContain("lib/up ->").And.Contain("Make each a relative link");
        Directory.Exists(Copy).Should().BeFalse("nothing is copied from a tree that is refused");
    }

    [Fact]
    public void Skips_sockets_and_FIFOs_without_blocking_and_says_so()
    {
        TreeBuilder.File(Source, "app.py", "print()", TreeBuilder.Regular);
        Directory.CreateDirectory(Path.Combine(Source, "run"));
        Shell.Run("mkfifo", Path.Combine(Source, "run/pipe"));
        // Open while the copy runs: .NET removes a socket's file when it is closed.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(Source, "run/app.sock")));
        FileStatus.Of(Path.Combine(Source, "run/pipe"))!.Value.Kind.Should().Be(FileKind.Fifo);
        FileStatus.Of(Path.Combine(Source, "run/app.sock"))!.Value.Kind.Should().Be(FileKind.Socket);
        using var log = LogCapture.Start();

        TreeCopier.Copy(Source, Copy, "--app-source /src");

        Directory.GetFileSystemEntries(Path.Combine(Copy, "run")).Should().BeEmpty();
        File.Exists(Path.Combine(Copy, "app.py")).Should().BeTrue();
        log.Messages.Should().Contain(x => x.Contains("Skipped 2 socket(s), FIFO(s) or device(s) in --app-source /src") && x.Contains("run/app.sock") && x.Contains("run/pipe"));
    }

    [Fact]
    public void Tells_files_folders_links_and_devices_apart()
    {
        FileStatus.Of("/dev/null")!.Value.Kind.Should().Be(FileKind.CharacterDevice);
        FileStatus.Of(_temp.Write("f", "x"))!.Value.Kind.Should().Be(FileKind.Regular);
        FileStatus.Of(_temp.Path)!.Value.Kind.Should().Be(FileKind.Directory);
        File.CreateSymbolicLink(_temp["l"], "f");
        FileStatus.Of(_temp["l"])!.Value.Kind.Should().Be(FileKind.SymbolicLink);
        FileStatus.Of(_temp["missing"]).Should().BeNull();
    }
}
