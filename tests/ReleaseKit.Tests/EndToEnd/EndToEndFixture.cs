using System.Security.Cryptography;
using ReleaseKit.Tests.Bundling;
using ReleaseKit.Tests.MachO;
using ReleaseKit.Tests.Publishing;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.EndToEnd;

/// <summary>
/// What a release reaches over the network, started once per test class: a python-build-standalone-
/// shaped archive of this machine's python3 (a real interpreter tree, trimmed of its test suites)
/// with its SHA256SUMS on a 127.0.0.1 HTTP server, and s3rver over TLS in place of R2.
/// </summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    public const string Release = "/astral-sh/python-build-standalone/releases/download/20251014/";
    public const string Asset = "cpython-3.11.7+20251014-aarch64-apple-darwin-install_only.tar.gz";

    private static readonly string[] Trimmed = ["test", "tests", "idlelib", "tkinter", "turtledemo", "lib2to3", "pydoc_data", "ensurepip", "__pycache__"];
    private readonly TempDirectory _directory = new("e2e");

    public TestHttpServer Downloads { get; } = new();

    public S3rverFixture Storage { get; } = new();

    public MachOFixtures MachO { get; } = new();

    public byte[] PythonArchive { get; private set; } = [];

    public string AssetUrl => Downloads.Url(Release + Asset).ToString();

    public async Task InitializeAsync()
    {
        await Storage.InitializeAsync();
        var home = _directory["source/python"];
        await BuildPythonTree(home);
        Shell.RunIn(_directory["source"], "tar", "-czf", _directory["python.tgz"], "python");
        PythonArchive = await File.ReadAllBytesAsync(_directory["python.tgz"]);
        Downloads.Serve(Release + Asset, PythonArchive);
        Downloads.Serve(Release + "SHA256SUMS", System.Text.Encoding.UTF8.GetBytes(
            $"{Convert.ToHexStringLower(SHA256.HashData(PythonArchive))}  {Asset}\n"));
    }

    public async Task DisposeAsync()
    {
        Downloads.Dispose();
        MachO.Dispose();
        await Storage.DisposeAsync();
        _directory.Dispose();
    }

    /// <summary>bin/python3 -> python3.X (a copy of this machine's interpreter) and a real copy of its lib/python3.X with pip.</summary>
    private static async Task BuildPythonTree(string home)
    {
        var (executable, prefix) = await LauncherFixture.HostPython();
        var version = Path.GetFileName(executable);
        Directory.CreateDirectory(Path.Combine(home, "bin"));
        File.Copy(executable, Path.Combine(home, "bin", version));
        File.CreateSymbolicLink(Path.Combine(home, "bin", "python3"), version);

        var library = Path.Combine(prefix, "lib", version);
        Copy(library, Path.Combine(home, "lib", version), relative =>
            !relative.Split('/').Any(Trimmed.Contains) &&
            !(relative.StartsWith("site-packages/", StringComparison.Ordinal) && !relative.StartsWith("site-packages/pip", StringComparison.Ordinal)));
    }

    private static void Copy(string source, string target, Func<string, bool> include, string relative = "")
    {
        Directory.CreateDirectory(Path.Combine(target, relative));
        foreach (var entry in new DirectoryInfo(Path.Combine(source, relative)).EnumerateFileSystemInfos())
        {
            var path = Path.Combine(relative, entry.Name);
            if (!include(path))
                continue;
            if (entry.LinkTarget is { } link)
                File.CreateSymbolicLink(Path.Combine(target, path), link);
            else if (entry is DirectoryInfo)
                Copy(source, target, include, path);
            else
                File.Copy(entry.FullName, Path.Combine(target, path));
        }
    }
}
