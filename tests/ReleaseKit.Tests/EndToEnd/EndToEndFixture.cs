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
        await HostPythonTree.BuildAsync(home);
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
}
