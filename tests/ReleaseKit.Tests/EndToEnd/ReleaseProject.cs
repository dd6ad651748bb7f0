using Amazon.S3.Model;
using ReleaseKit.Publishing;
using ReleaseKit.Settings;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.EndToEnd;

/// <summary>
/// A fresh project root for one end-to-end run: package.json, requirements.txt, the launcher
/// source, a wheelhouse (the app, mlx with a real Mach-O libmlx.dylib and extension, mlx-lm),
/// and the fakes of Apple's tools on the PATH the release's tool runner uses.
/// </summary>
public sealed class ReleaseProject : IDisposable
{
    /// <summary>The app: `--version`, and `serve`, an HTTP server on 127.0.0.1:0 that stops cleanly on SIGTERM.</summary>
    public const string AppCli = """
        import http.server, signal, sys, threading
        from mlxk2 import __version__

        def serve():
            class Answer(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = ("mlxk2 " + __version__ + " serving\n").encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
            signal.signal(signal.SIGTERM, lambda number, frame: threading.Thread(target=server.shutdown).start())
            print("listening on 127.0.0.1:%d" % server.server_address[1])
            print("serving", flush=True)
            server.serve_forever()
            print("stopped by SIGTERM", flush=True)

        def main():
            if sys.argv[1:] == ["--version"]:
                print("mlxk2 " + __version__)
            elif sys.argv[1:2] == ["serve"]:
                serve()
            else:
                sys.exit("usage: mlxk2 --version | serve")

        if __name__ == "__main__":
            main()
        """;

    public const string MlxLicense = "MIT License\n\nCopyright (c) 2023 Apple Inc.\n";

    private readonly EndToEndFixture _fixture;

    public ReleaseProject(EndToEndFixture fixture, string version)
    {
        _fixture = fixture;
        Version = version;
        Fakes = new FakeTools().AddApple();
        Fakes.Add("xattr");
        Fakes.NotaryScenario(new { issues = new[] { new { severity = "warning", path = "_vendor/mlx/lib/libmlx.dylib", message = "The binary uses an SDK older than the 10.9 SDK.", architecture = "arm64" } } });

        Temp.Write("project/package.json", $$"""{ "name": "msty-mlx-studio", "version": "{{version}}" }""");
        Temp.Write("project/requirements.txt", "mlx>=0.30.0\nmlx-lm~=0.28.0\n");
        Temp.Write("project/LICENSE", "MIT\n");
        Temp.Write("project/launcher/launcher.c", ProjectRoot.Read("launcher/launcher.c"));

        WheelBuilder.Build(Wheels, "mlx", "0.30.0", new Dictionary<string, string> { ["mlx/__init__.py"] = "__version__ = \"0.30.0\"\n" },
            binaries: new Dictionary<string, byte[]>
            {
                ["mlx/lib/libmlx.dylib"] = File.ReadAllBytes(fixture.MachO["liba.dylib"]),
                ["mlx/core.cpython-311-darwin.so"] = File.ReadAllBytes(fixture.MachO["plugin.so"]),
            },
            metadata: ["License-Expression: MIT"], licenses: new Dictionary<string, string> { ["LICENSE"] = MlxLicense });
        WheelBuilder.Build(Wheels, "mlx-lm", "0.28.3", new Dictionary<string, string> { ["mlx_lm/__init__.py"] = "" }, ["mlx"],
            metadata: ["License: MIT License", "Classifier: License :: OSI Approved :: MIT License"]);
        // One copyleft and one undeclared licence, for the licence policy to find.
        WheelBuilder.Build(Wheels, "gpl-helper", "1.2.0", new Dictionary<string, string> { ["gpl_helper/__init__.py"] = "" },
            metadata: ["License-Expression: GPL-3.0-only"], licenses: new Dictionary<string, string> { ["COPYING"] = "GNU GENERAL PUBLIC LICENSE\nVersion 3\n" });
        WheelBuilder.Build(Wheels, "mystery-lib", "0.1.0", new Dictionary<string, string> { ["mystery_lib/__init__.py"] = "" });
        WheelBuilder.Build(Wheels, "mlx-knife", "2.0.4", new Dictionary<string, string>
        {
            ["mlxk2/__init__.py"] = "__version__ = \"2.0.4\"\n",
            ["mlxk2/cli.py"] = AppCli,
        }, ["mlx-lm", "gpl-helper", "mystery-lib"], metadata: ["License-Expression: Apache-2.0"]);
    }

    public TempDirectory Temp { get; } = new("release");

    public FakeTools Fakes { get; }

    public string Version { get; }

    public string Root => Temp["project"];

    public string Wheels => Temp["wheels"];

    public ReleaseSettings Settings => new()
    {
        RootDirectory = Root,
        Python = new() { CpythonUrl = _fixture.AssetUrl, AllowForeignPython = true },
        Bundle = new() { AppPackage = "mlx-knife==2.0.4", PipArgs = $"--no-index --find-links {Wheels}" },
        Signing = new() { SignId = AppleFakes.DeveloperId },
        Notary = new() { AppleId = "release@example.com", AppleTeamId = "TEAM123456", AppleAppSpecificPassword = "abcd-efgh-ijkl-mnop" },
        Upload = new() { R2Endpoint = _fixture.Storage.Endpoint, R2Bucket = Publishing.S3rverFixture.Bucket, R2AccessKeyId = "S3RVER", R2SecretAccessKey = "S3RVER" },
    };

    /// <summary>The steps as the NUKE host builds them, on Linux: macOS-only preparation off, Verify's macOS checks through the fakes.</summary>
    public ReleasePipeline Steps(Func<ReleaseSettings, ReleaseSettings>? change = null, CancellationToken cancellation = default) =>
        new(change?.Invoke(Settings) ?? Settings, Fakes.Runner(), cancellation)
        {
            S3HttpClientFactory = _fixture.Storage.TrustingFactory,
            PrepareOnMacOS = false,
            VerifyOnMacOS = true,
        };

    public async Task<IReadOnlyList<string>> ObjectKeys()
    {
        using var client = R2Client.Create(_fixture.Storage.Target, _fixture.Storage.TrustingFactory);
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Publishing.S3rverFixture.Bucket, Prefix = $"releases/{Version}/" });
        return (listing.S3Objects ?? []).Select(x => x.Key).ToArray();
    }

    public void Dispose()
    {
        Temp.Dispose();
        Fakes.Dispose();
    }
}
