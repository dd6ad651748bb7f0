using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ReleaseKit.Tests.Publishing;

/// <summary>
/// A TLS proxy on 127.0.0.1 in front of s3rver that behaves like R2 where s3rver does not:
/// If-None-Match: * on an existing key answers 412, and so does If-Match with another ETag. It can also hide a key from HEAD (the race a
/// HEAD check cannot close) and fail chosen parts of a multipart upload. It also performs
/// AbortMultipartUpload, which s3rver lacks, the way R2 does: the upload and its parts are gone,
/// and it decodes x-amz-copy-source fully as S3 does (s3rver's decodeURI leaves an encoded '/').
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentDictionary<int, int> _partFailures = new();
    private readonly ConcurrentBag<string> _hiddenFromHead = [];
    private readonly ConcurrentDictionary<string, Action> _lostResponses = new();
    private readonly ConcurrentDictionary<string, int> _refusedPuts = new();
    private readonly ConcurrentDictionary<string, Func<Task>> _beforePut = new();
    private readonly Func<string, bool> _abort;

    private FaultProxy(WebApplication app, HttpClient upstream, Func<string, bool> abort)
    {
        _app = app;
        _upstream = upstream;
        _abort = abort;
    }

    public string Endpoint { get; private set; } = "";

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <param name="abort">Removes an open multipart upload from s3rver's store (s3rver 3.7.1 answers AbortMultipartUpload with 405).</param>
    public static async Task<FaultProxy> StartAsync(string upstream, string certificate, string key, Func<string, bool> abort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        using var pem = X509Certificate2.CreateFromPemFile(certificate, key);
        var serverCertificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        builder.WebHost.ConfigureKestrel(options =>
        {
            // A release tarball is larger than Kestrel's default limit of 30 MB a request; R2 takes up to 5 GiB.
            options.Limits.MaxRequestBodySize = null;
            options.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serverCertificate));
        });
        var app = builder.Build();
        var trusted = X509CertificateLoader.LoadCertificateFromFile(certificate);
        var client = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == trusted.Thumbprint,
        }) { BaseAddress = new Uri(upstream) };

        var proxy = new FaultProxy(app, client, abort);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy.Endpoint = address.Replace("[::1]", "127.0.0.1");
        return proxy;
    }

    /// <summary>Part <paramref name="number"/> of any multipart upload fails with 500, <paramref name="times"/> times.</summary>
    public void FailPart(int number, int times) => _partFailures[number] = times;

    public void HideFromHead(string key) => _hiddenFromHead.Add(key);

    /// <summary>
    /// The next PUT of <paramref name="key"/> reaches s3rver and the object lands, but the answer
    /// never comes back: the connection is cut after <paramref name="landed"/> ran (e.g. a Ctrl-C).
    /// </summary>
    public void LoseResponse(string key, Action? landed = null) => _lostResponses[key] = landed ?? (() => { });

    /// <summary>The next <paramref name="times"/> PUTs of <paramref name="key"/> (objects, not parts or copies) are refused with 403, as R2 refuses a write its token may not make.</summary>
    public void RefusePut(string key, int times = 1) => _refusedPuts[key] = times;

    /// <summary>Runs once right before the next PUT of <paramref name="key"/> reaches s3rver: another writer's change in between.</summary>
    public void BeforePut(string key, Func<Task> action) => _beforePut[key] = action;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var key = Uri.UnescapeDataString(request.Path.Value!.TrimStart('/'));
        var query = request.Query;
        Requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");

        if (request.Method == "HEAD" && _hiddenFromHead.Contains(key))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (request.Method == "PUT" && query.ContainsKey("partNumber") && int.TryParse(query["partNumber"], out var part) &&
            _partFailures.TryGetValue(part, out var left) && left > 0)
        {
            _partFailures[part] = left - 1;
            await Error(context, 500, "InternalError", "We encountered an internal error. Please try again.");
            return;
        }

        if (request.Method == "PUT" && !query.ContainsKey("partNumber") && !request.Headers.ContainsKey("x-amz-copy-source") &&
            _refusedPuts.TryGetValue(key, out var refusals) && refusals > 0)
        {
            _refusedPuts[key] = refusals - 1;
            await request.Body.CopyToAsync(Stream.Null);
            await Error(context, 403, "AccessDenied", "Access Denied");
            return;
        }

        if (request.Method == "DELETE" && query.TryGetValue("uploadId", out var uploadId))
        {
            context.Response.StatusCode = _abort(uploadId.ToString()) ? 204 : 404;
            return;
        }

        if (request.Method == "PUT" && !query.ContainsKey("partNumber") && _lostResponses.TryRemove(key, out var landed))
        {
            await ForwardAsync(context, respond: false);
            landed();
            context.Abort();
            return;
        }

        if (request.Method == "PUT" && _beforePut.TryRemove(key, out var before))
            await before();

        // R2 honours If-Match on a write (conditional writes); s3rver ignores it.
        if (request.Method == "PUT" && request.Headers.IfMatch.Count > 0)
        {
            using var head = await _upstream.SendAsync(new HttpRequestMessage(HttpMethod.Head, request.Path.Value));
            if (!head.IsSuccessStatusCode || head.Headers.ETag?.ToString() != request.Headers.IfMatch.ToString())
            {
                await request.Body.CopyToAsync(Stream.Null);
                await Error(context, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
                return;
            }
        }

        var writes = request.Method == "PUT" && !query.ContainsKey("partNumber") || request.Method == "POST";
        if (writes && request.Headers.IfNoneMatch == "*")
        {
            using var head = await _upstream.SendAsync(new HttpRequestMessage(HttpMethod.Head, request.Path.Value));
            if (head.IsSuccessStatusCode)
            {
                await Error(context, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
                return;
            }
        }

        await ForwardAsync(context);
    }

    private async Task ForwardAsync(HttpContext context, bool respond = true)
    {
        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), request.Path.Value + request.QueryString.Value);
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        body.Position = 0;
        forward.Content = new StreamContent(body);
        foreach (var (name, values) in request.Headers)
        {
            if (name is "Host" or "Content-Length" or "Transfer-Encoding" or "Connection" or "Expect")
                continue;
            if (name.Equals("x-amz-copy-source", StringComparison.OrdinalIgnoreCase))
            {
                // S3 URL-decodes the whole value; s3rver splits bucket from key before decoding '/'.
                var source = Uri.UnescapeDataString(values.ToString());
                forward.Headers.TryAddWithoutValidation(name, string.Join('/', source.Split('/').Select(Uri.EscapeDataString)));
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray()))
                forward.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
        }

        using var response = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead);
        if (!respond)
            return;
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is not ("Transfer-Encoding" or "Connection"))
                context.Response.Headers[name] = values.ToArray();
        }
        await response.Content.CopyToAsync(context.Response.Body);
    }

    private static Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        return context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
    }
}
