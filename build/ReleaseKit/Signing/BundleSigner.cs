using System.Collections.Concurrent;
using ReleaseKit.MachO;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Signing;

/// <summary>
/// Signs every Mach-O of a bundle with codesign: libraries first (deepest paths first), the main
/// executables last, several at a time since each call waits on Apple's timestamp server. A file
/// that fails with a transient timestamp or keychain error is retried with backoff; anything
/// else fails the whole step, listing every file with codesign's message, and the bundle stays
/// marked unsigned. Files that are not Mach-O are never signed: their signature would live in
/// extended attributes, which tar drops.
/// </summary>
public sealed class BundleSigner(ToolRunner runner)
{
    private static readonly string[] TransientErrors =
    [
        "timestamp service is not available",
        "A timestamp was expected but was not found",
        "errSecInternalComponent",
    ];

    public int Parallelism { get; init; } = 4;

    /// <summary>Files per codesign call: one process per file costs a process start and a keychain lookup each time.</summary>
    public int BatchSize { get; init; } = 8;

    public int MaxAttempts { get; init; } = 4;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>codesign's arguments: --sign before --options, since options given first can be ignored (codesign(1)).</summary>
    public static IReadOnlyList<string> Arguments(SigningIdentity identity, string? entitlements, params IReadOnlyList<string> paths)
    {
        var arguments = new List<string> { "--force", "--sign", identity.Name };
        if (!identity.IsAdHoc)
            arguments.Add("--timestamp");
        arguments.AddRange(["--options", "runtime"]);
        if (entitlements is not null)
            arguments.AddRange(["--entitlements", entitlements]);
        arguments.AddRange(paths);
        return arguments;
    }

    /// <param name="mainExecutables">Bundle-relative paths signed last and with the entitlements.</param>
    public async Task<SignatureRecord> SignAsync(string bundle, SigningIdentity identity, string entitlements, IReadOnlyCollection<string> mainExecutables, CancellationToken cancellationToken)
    {
        SignatureRecord.Remove(bundle);
        var files = HardLinks.Distinct(MachOScanner.Find(bundle));
        var main = files.Where(x => mainExecutables.Contains(Path.GetRelativePath(bundle, x))).ToArray();
        var libraries = files.Except(main)
            .OrderByDescending(x => x.Count(c => c == '/'))
            .ThenBy(x => x, StringComparer.Ordinal)
            .ToArray();

        var failures = new ConcurrentDictionary<string, string>();
        var signed = 0;
        async Task SignAll(IEnumerable<string> group, string? withEntitlements)
        {
            var batches = group.Chunk(BatchSize);
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (batch, token) =>
            {
                // A failed batch is signed again file by file: codesign stops at the first error, and
                // each file's own message (and a retry of a transient one) is wanted.
                var together = await runner.RunAsync(new ToolCommand("codesign", Arguments(identity, withEntitlements, batch)) { ThrowOnFailure = false }, token);
                foreach (var file in batch)
                {
                    var error = together.Succeeded ? null : await SignOneAsync(identity, withEntitlements, file, token);
                    if (error is not null)
                        failures[file] = error;
                    else
                        Log.Information("signed {Signed}/{Total} {File}", Interlocked.Increment(ref signed), files.Count, Path.GetRelativePath(bundle, file));
                }
            });
        }

        await SignAll(libraries, null);
        await SignAll(main, entitlements);

        if (!failures.IsEmpty)
        {
            var lines = failures.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"  {Path.GetRelativePath(bundle, x.Key)}: {x.Value}");
            throw new ReleaseException($"codesign failed on {failures.Count} of {files.Count} files; the bundle stays unsigned:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
        }

        var record = new SignatureRecord(identity.Name, identity.IsAdHoc, files.Count, SignatureRecord.FingerprintOf(bundle), DateTimeOffset.UtcNow)
        {
            Contents = await SignatureRecord.HashContentsAsync(bundle, cancellationToken),
        };
        SignatureRecord.Write(bundle, record);
        Log.Information("Signed {Count} Mach-O files with {Identity}", files.Count, identity.Name);
        return record;
    }

    private async Task<string?> SignOneAsync(SigningIdentity identity, string? entitlements, string file, CancellationToken cancellationToken)
    {
        static string Message(ToolResult result) => (result.StandardError + result.StandardOutput).Trim();

        // Only Apple's timestamp service and the keychain fail transiently; any other message is final.
        var result = await Retry.UntilAsync($"codesign {file}",
            _ => runner.RunAsync(new ToolCommand("codesign", Arguments(identity, entitlements, file)) { ThrowOnFailure = false }, cancellationToken),
            result => !result.Succeeded && TransientErrors.Any(x => Message(result).Contains(x, StringComparison.OrdinalIgnoreCase)) ? Message(result) : null,
            MaxAttempts, FirstRetryDelay, cancellationToken);
        return result.Succeeded ? null : Message(result) is { Length: > 0 } message ? message : $"exit code {result.ExitCode}";
    }
}
