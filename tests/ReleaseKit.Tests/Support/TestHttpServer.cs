using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ReleaseKit.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 for download tests: serves bytes with Range support, and can
/// answer a status code or drop the connection mid-body for the next N requests to a path.
/// </summary>
public sealed partial class TestHttpServer : IDisposable
{
    private HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _content = new();
    private readonly ConcurrentDictionary<string, Queue<Action<HttpListenerContext>>> _faults = new();
    private readonly ConcurrentQueue<(string Path, string? Range)> _requests = new();
    private readonly Task _loop;

    public TestHttpServer()
    {
        // A free port can be taken by another test between probing and binding: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                // A listener that failed to start has disposed itself: the next attempt needs a new one.
                _listener = new HttpListener();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public IReadOnlyList<(string Path, string? Range)> Requests => _requests.ToArray();

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    public int RequestCount(string path) => Requests.Count(x => x.Path == path);

    public TestHttpServer Serve(string path, byte[] content)
    {
        _content[path] = content;
        return this;
    }

    public TestHttpServer FailWith(string path, int status, int times = int.MaxValue) =>
        AddFault(path, times, context =>
        {
            context.Response.StatusCode = status;
            context.Response.Close();
        });

    /// <summary>Announces the full length, sends <paramref name="bytes"/> of it, then drops the connection.</summary>
    public TestHttpServer DropAfter(string path, int bytes, int times = 1) =>
        AddFault(path, times, context =>
        {
            var content = _content[path];
            context.Response.ContentLength64 = content.Length;
            context.Response.OutputStream.Write(content, 0, bytes);
            context.Response.OutputStream.Flush();
            context.Response.Abort();
        });

    public void Dispose()
    {
        // Close alone: after Stop, the managed listener's Close binds the port again to remove its prefix.
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
    }

    private TestHttpServer AddFault(string path, int times, Action<HttpListenerContext> fault)
    {
        var queue = _faults.GetOrAdd(path, _ => new Queue<Action<HttpListenerContext>>());
        lock (queue)
        {
            for (var i = 0; i < Math.Min(times, 1000); i++)
                queue.Enqueue(fault);
        }
        return this;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Handle(context);
            }
            catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        var range = context.Request.Headers["Range"];
        _requests.Enqueue((path, range));

        if (_faults.TryGetValue(path, out var queue))
        {
            Action<HttpListenerContext>? fault = null;
            lock (queue)
            {
                if (queue.Count > 0)
                    fault = queue.Dequeue();
            }
            if (fault is not null)
            {
                fault(context);
                return;
            }
        }

        if (!_content.TryGetValue(path, out var content))
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
            return;
        }

        var offset = 0;
        if (range is not null && RangeHeader().Match(range) is { Success: true } match)
        {
            offset = int.Parse(match.Groups[1].Value);
            if (offset >= content.Length)
            {
                context.Response.StatusCode = 416;
                context.Response.Close();
                return;
            }
            context.Response.StatusCode = 206;
            context.Response.Headers["Content-Range"] = $"bytes {offset}-{content.Length - 1}/{content.Length}";
        }

        context.Response.Headers["Accept-Ranges"] = "bytes";
        context.Response.ContentLength64 = content.Length - offset;
        context.Response.OutputStream.Write(content, offset, content.Length - offset);
        context.Response.Close();
    }

    [GeneratedRegex(@"^bytes=(\d+)-$")]
    private static partial Regex RangeHeader();
}
