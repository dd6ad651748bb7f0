using System.Collections.Concurrent;

namespace ReleaseKit.Tooling;

/// <summary>
/// codesign's signing verb: several files per call and several calls at a time, since each call
/// waits on Apple's timestamp server. A failed call is signed again file by file, because codesign
/// stops at the first error and each file's own message is wanted; a timestamp outage is retried
/// with backoff. errSecInternalComponent is not retried: codesign cannot use the key at all
/// (locked keychain, or no key partition list), and every file would fail the same way.
/// </summary>
public sealed class Codesign(ToolRunner runner)
{
    public static ExternalTool Tool { get; } = ExternalTool.OfMacOs("codesign");

    private static readonly string[] TimestampOutages =
    [
        "timestamp service is not available",
        "A timestamp was expected but was not found",
    ];

    private const string KeyUnusable = "errSecInternalComponent";

    public int MaxAttempts { get; init; } = 4;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>codesign's arguments: --sign before --options, since options given first can be ignored (codesign(1)).</summary>
    /// <param name="hardenedRuntime">With a secure timestamp for a real identity: what notarization demands. Without both: a pre-signature for running locally.</param>
    public static IReadOnlyList<string> Arguments(SigningIdentity identity, string? entitlements, bool hardenedRuntime, IEnumerable<string> paths)
    {
        var arguments = new List<string> { "--force", "--sign", identity.Name };
        if (hardenedRuntime)
        {
            if (!identity.IsAdHoc)
                arguments.Add("--timestamp");
            arguments.AddRange(["--options", "runtime"]);
        }

        if (entitlements is not null)
            arguments.AddRange(["--entitlements", entitlements]);
        arguments.AddRange(paths);
        return arguments;
    }

    /// <summary>Signs every file; returns codesign's message for each file that failed (none: empty).</summary>
    /// <param name="arguments">codesign's arguments for a batch of paths.</param>
    /// <param name="signed">Called for each file once it is signed.</param>
    public async Task<IReadOnlyDictionary<string, string>> SignAsync(IReadOnlyList<string> files, Func<IEnumerable<string>, IReadOnlyList<string>> arguments,
        int batchSize, int parallelism, Action<string>? signed, CancellationToken cancellationToken)
    {
        var failures = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(files.Chunk(batchSize), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (batch, token) =>
        {
            var together = await runner.RunAsync(new ToolCommand(Tool.Name, arguments(batch)) { ThrowOnFailure = false }, token);
            foreach (var file in batch)
            {
                var error = together.Succeeded ? null : await SignOneAsync(file, arguments, token);
                if (error is not null)
                    failures[file] = error;
                else
                    signed?.Invoke(file);
            }
        });
        return failures;
    }

    /// <summary>codesign --verify --strict --verbose=2: the signature is intact and follows the current rules; the verdict is on stderr.</summary>
    public Task<ToolResult> VerifyAsync(string path, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(Tool.Name, "--verify", "--strict", "--verbose=2", path) { ThrowOnFailure = false }, cancellationToken);

    /// <summary>
    /// codesign -vvvv -R=notarized --check-notarization: the signature satisfies the "notarized"
    /// requirement, asking Apple online for a ticket a command-line binary cannot staple.
    /// </summary>
    public Task<ToolResult> CheckNotarizationAsync(string path, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(Tool.Name, "-vvvv", "-R=notarized", "--check-notarization", path) { ThrowOnFailure = false }, cancellationToken);

    private async Task<string?> SignOneAsync(string file, Func<IEnumerable<string>, IReadOnlyList<string>> arguments, CancellationToken cancellationToken)
    {
        static string Message(ToolResult result) => (result.StandardError + result.StandardOutput).Trim();

        var result = await Retry.UntilAsync($"codesign {file}",
            _ => runner.RunAsync(new ToolCommand(Tool.Name, arguments([file])) { ThrowOnFailure = false }, cancellationToken),
            result => !result.Succeeded && TimestampOutages.Any(x => Message(result).Contains(x, StringComparison.OrdinalIgnoreCase)) ? Message(result) : null,
            MaxAttempts, FirstRetryDelay, cancellationToken);
        if (result.Succeeded)
            return null;
        var message = Message(result) is { Length: > 0 } text ? text : $"exit code {result.ExitCode}";
        if (message.Contains(KeyUnusable, StringComparison.Ordinal))
            throw new ReleaseException($"codesign cannot use the signing key ({KeyUnusable}) for {file}: {message}. The keychain is locked or its key partition list " +
                "is missing: run security unlock-keychain -p PASSWORD KEYCHAIN and security set-key-partition-list -S apple-tool:,apple:,codesign: -s -k PASSWORD KEYCHAIN " +
                "(on CI, MACOS_CERT_P12 with ImportCertificate does both), then sign again");
        return message;
    }
}
