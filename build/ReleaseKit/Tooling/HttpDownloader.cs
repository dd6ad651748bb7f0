using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Serilog;

namespace ReleaseKit.Tooling;

/// <summary>
/// Downloads one file over HTTP(S): into "&lt;destination&gt;.partial", resumed with a Range request
/// after a dropped connection, retried with backoff on network errors and 5xx, renamed into
/// place only once complete. 401/403/404/410 fail at once: retrying will not change them.
/// </summary>
public sealed class HttpDownloader(HttpClient client)
{
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        // Archives are large and links slow; a stalled connection surfaces as an IOException instead.
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { UserAgent = { new ProductInfoHeaderValue("msty-mlx-studio-release", "1") } },
    };

    public async Task DownloadAsync(Uri url, string destination, CancellationToken cancellationToken = default)
    {
        var partial = destination + ".partial";
        try
        {
            await Retry.RunAsync($"Download of {url}", async () =>
            {
                await AttemptAsync(url, partial, cancellationToken);
                return true;
            }, exception => IsTransient(exception, cancellationToken), MaxAttempts, FirstRetryDelay, cancellationToken);
            File.Move(partial, destination, overwrite: true);
        }
        catch (Exception exception) when (IsTransient(exception, cancellationToken))
        {
            throw new ReleaseException($"Downloading {url} failed {MaxAttempts} times, last with: {exception.Message}. Check the network and run again: the partial download is kept and resumed", exception);
        }
    }

    private async Task AttemptAsync(Uri url, string partial, CancellationToken cancellationToken)
    {
        var existing = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (existing > 0)
            request.Headers.Range = new RangeHeaderValue(existing, null);

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.Gone)
            throw new ReleaseException($"{url} answered {status} {response.ReasonPhrase}: check the URL (a release asset name includes the Python version, the release tag and the platform)");
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The server's file is not the one we started on: begin again.
            File.Delete(partial);
            throw new TransientDownloadException($"{url} refused to resume ({status}); starting over");
        }
        if (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            throw new TransientDownloadException($"{url} answered {status} {response.ReasonPhrase}");
        if (!response.IsSuccessStatusCode)
            throw new ReleaseException($"{url} answered {status} {response.ReasonPhrase}");

        var resuming = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == existing;
        if (existing > 0 && resuming)
            Log.Information("Resuming {Url} at {Offset}", url, ByteSize.Format(existing));
        var offset = resuming ? existing : 0;
        var total = response.Content.Headers.ContentLength is { } length ? offset + length : (long?)null;

        await using var output = new FileStream(partial, resuming ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var progress = new DownloadProgress(Path.GetFileName(url.AbsolutePath), offset, total, ProgressInterval);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            progress.Add(read);
        }

        if (total is { } expected && output.Length != expected)
            throw new TransientDownloadException($"the connection closed after {output.Length} of {expected} bytes");
        progress.Complete();
    }

    private static bool IsTransient(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested &&
        exception is TransientDownloadException or HttpRequestException or IOException or TaskCanceledException;

    private sealed class TransientDownloadException(string message) : Exception(message);

    private sealed class DownloadProgress(string name, long start, long? total, TimeSpan interval)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _sinceStart;
        private TimeSpan _lastReport;

        private long Received => start + _sinceStart;

        public void Add(int bytes)
        {
            _sinceStart += bytes;
            if (_clock.Elapsed - _lastReport < interval)
                return;
            _lastReport = _clock.Elapsed;
            Report();
        }

        public void Complete() => Report();

        private void Report()
        {
            var rate = _sinceStart / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
            if (total is { } size && size > 0)
            {
                var eta = rate > 0 ? TimeSpan.FromSeconds((size - Received) / rate) : TimeSpan.Zero;
                Log.Information("Downloading {Name}: {Received} of {Total} ({Percent:0}%), {Rate}/s, ETA {Eta:mm\\:ss}",
                    name, ByteSize.Format(Received), ByteSize.Format(size), 100.0 * Received / size, ByteSize.Format(rate), eta);
            }
            else
            {
                Log.Information("Downloading {Name}: {Received}, {Rate}/s", name, ByteSize.Format(Received), ByteSize.Format(rate));
            }
        }
    }
}
