using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using ReleaseKit.Publishing;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Publishing;

/// <summary>
/// s3rver (npm, installed into tests/tools by .ci/run) over TLS with a self-signed certificate for
/// 127.0.0.1: the SDK refuses unsigned payloads over plain http, as it must for R2. s3rver stores
/// aws-chunked bodies verbatim, so a SHA-256 round trip fails exactly when the client
/// configuration would break on R2.
/// </summary>
public sealed partial class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "releases";
    private readonly TempDirectory _directory = new("s3rver");
    private Process? _server;
    private X509Certificate2? _certificate;

    public string Endpoint { get; private set; } = "";

    public R2Target Target => new(Endpoint, Bucket, "S3RVER", "S3RVER");

    /// <summary>The server's self-signed certificate, for a process that trusts it through SSL_CERT_FILE.</summary>
    public string CertificateFile => _directory["cert.pem"];

    public Task<FaultProxy> StartProxyAsync() => FaultProxy.StartAsync(Endpoint, _directory["cert.pem"], _directory["key.pem"], uploadId =>
    {
        var upload = _directory[$"data/{Bucket}/._S3rver_uploads/{uploadId}"];
        if (!Directory.Exists(upload))
            return false;
        Directory.Delete(upload, recursive: true);
        return true;
    });

    public HttpClientFactory TrustingFactory => new TrustingHttpClientFactory(_certificate!);

    /// <summary>
    /// Multipart uploads begun and neither completed nor aborted. s3rver does not implement
    /// ListMultipartUploads; it keeps each open upload as a folder until Complete or Abort removes it.
    /// </summary>
    public IReadOnlyList<string> PendingMultipartUploads()
    {
        var uploads = _directory[$"data/{Bucket}/._S3rver_uploads"];
        return Directory.Exists(uploads) ? Directory.GetDirectories(uploads) : [];
    }

    public async Task InitializeAsync()
    {
        var script = ProjectRoot.File("tests/tools/node_modules/s3rver/bin/s3rver.js");
        if (!File.Exists(script))
            throw new InvalidOperationException("s3rver is not installed: run .ci/run or npm install --prefix tests/tools");

        Shell.RunIn(_directory.Path, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        _certificate = X509CertificateLoader.LoadCertificateFromFile(_directory["cert.pem"]);

        var info = new ProcessStartInfo("node", [script, "-d", _directory["data"], "-a", "127.0.0.1", "-p", "0",
            "--key", _directory["key.pem"], "--cert", _directory["cert.pem"], "--configure-bucket", Bucket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _server = Process.Start(info)!;
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginErrorReadLine();

        // s3rver announces its port once it accepts connections: no polling, no sleeping.
        Match match;
        do
        {
            var line = await _server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))
                ?? throw new InvalidOperationException($"s3rver exited before listening (exit code {(_server.HasExited ? _server.ExitCode : -1)})");
            match = Listening().Match(line);
        }
        while (!match.Success);
        Endpoint = $"https://127.0.0.1:{match.Groups[1].Value}";
        _ = _server.StandardOutput.ReadToEndAsync();
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false })
            _server.Kill(entireProcessTree: true);
        _server?.WaitForExit();
        _server?.Dispose();
        _certificate?.Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    private sealed class TrustingHttpClientFactory(X509Certificate2 certificate) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            });
    }
}
