using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using ReleaseKit.Publishing;

namespace ReleaseKit.Benchmarks;

/// <summary>
/// R2Uploader against rclone's best mode (one PUT, or 8 MiB parts 4 at a time) uploading the same
/// file to the same local s3rver over TLS; median of the rounds, as throughput.
/// Needs node with s3rver in tests/tools/node_modules, openssl and rclone.
/// </summary>
public static partial class UploadBenchmark
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        var work = Directory.CreateTempSubdirectory("upload-bench-").FullName;
        Process? server = null;
        try
        {
            Measure.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", Path.Combine(work, "key.pem"),
                "-out", Path.Combine(work, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
            var s3rver = Path.Combine(FindRoot(), "tests", "tools", "node_modules", "s3rver", "bin", "s3rver.js");
            server = Process.Start(new ProcessStartInfo("node", [s3rver, "-d", Path.Combine(work, "data"), "-a", "127.0.0.1", "-p", "0",
                "--key", Path.Combine(work, "key.pem"), "--cert", Path.Combine(work, "cert.pem"), "--configure-bucket", "releases"])
            { RedirectStandardOutput = true })!;
            string? line;
            Match match;
            do
            {
                line = await server.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("s3rver did not start");
                match = Listening().Match(line);
            }
            while (!match.Success);
            var endpoint = $"https://127.0.0.1:{match.Groups[1].Value}";

            var file = Path.Combine(work, "release.tgz");
            var bytes = new byte[options.SizeMegabytes << 20];
            new Random(1).NextBytes(bytes);
            await File.WriteAllBytesAsync(file, bytes);
            Console.WriteLine($"file: {options.SizeMegabytes} MB to s3rver at {endpoint}");

            var target = new R2Target(endpoint, "releases", "S3RVER", "S3RVER");
            var ours = new List<TimeSpan>();
            var single = new List<TimeSpan>();
            var parts = new List<TimeSpan>();
            for (var round = 0; round < options.Rounds; round++)
            {
                using (var client = R2Client.Create(target, new InsecureFactory()))
                {
                    var uploader = new R2Uploader(client, target);
                    ours.Add(await Measure.Time(() => uploader.UploadAsync([new UploadItem($"ours/{round}.tgz", file, "application/gzip")], false, CancellationToken.None)));
                }

                single.Add(await Measure.Time(() => Task.Run(() => Rclone(endpoint, file, $"rclone-single/{round}.tgz", "--s3-upload-cutoff", "5G"))));
                parts.Add(await Measure.Time(() => Task.Run(() => Rclone(endpoint, file, $"rclone-parts/{round}.tgz", "--s3-upload-cutoff", "16M", "--s3-chunk-size", "8M", "--s3-upload-concurrency", "4"))));
                Console.WriteLine($"round {round + 1}: R2Uploader {Measure.Seconds(ours[^1])}, rclone PUT {Measure.Seconds(single[^1])}, rclone multipart {Measure.Seconds(parts[^1])}");
            }

            double Rate(TimeSpan time) => options.SizeMegabytes / time.TotalSeconds;
            var best = Math.Max(Rate(Measure.Median(single)), Rate(Measure.Median(parts)));
            Console.WriteLine($"rclone single PUT: {Rate(Measure.Median(single)),6:0} MB/s");
            Console.WriteLine($"rclone multipart:  {Rate(Measure.Median(parts)),6:0} MB/s");
            Console.WriteLine($"R2Uploader:        {Rate(Measure.Median(ours)),6:0} MB/s");
            Console.WriteLine($"ratio: {Rate(Measure.Median(ours)) / best:0.00}x rclone's best mode (target >= 1.20x)");
        }
        finally
        {
            if (server is { HasExited: false })
                server.Kill(entireProcessTree: true);
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Rclone(string endpoint, string file, string key, params string[] flags)
    {
        var info = new ProcessStartInfo("rclone", ["copyto", file, $"bench:releases/{key}", "--no-check-certificate", .. flags]) { RedirectStandardError = true };
        foreach (var (name, value) in new Dictionary<string, string>
                 {
                     ["RCLONE_CONFIG_BENCH_TYPE"] = "s3",
                     ["RCLONE_CONFIG_BENCH_PROVIDER"] = "Other",
                     ["RCLONE_CONFIG_BENCH_ACCESS_KEY_ID"] = "S3RVER",
                     ["RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY"] = "S3RVER",
                     ["RCLONE_CONFIG_BENCH_ENDPOINT"] = endpoint,
                 })
            info.Environment[name] = value;
        // rclone reads AWS_CA_BUNDLE and would reject the self-signed certificate despite --no-check-certificate.
        info.Environment.Remove("AWS_CA_BUNDLE");
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rclone failed: {error}");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
                return directory.FullName;
        }
        throw new InvalidOperationException("Run the benchmark from inside the repository");
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    /// <summary>Trusts the benchmark's own self-signed certificate.</summary>
    private sealed class InsecureFactory : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
    }
}
