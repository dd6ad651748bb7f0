using ReleaseKit.MachO;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Signing;

/// <summary>
/// Signs every Mach-O of a bundle with codesign: libraries first (deepest paths first), the main
/// executables last, several at a time (see <see cref="Codesign"/>). Any failure fails the whole
/// stage, listing every file with codesign's message, and the bundle stays marked unsigned. Files
/// that are not Mach-O are never signed: their signature would live in extended attributes,
/// which tar drops. Each file is signed under one name; its other hard-linked names are linked to
/// the signed file again afterwards.
/// </summary>
public sealed class BundleSigner(ToolRunner runner)
{
    /// <summary>How many codesign processes run at a time (--sign-parallelism).</summary>
    public required int Parallelism { get; init; }

    /// <summary>Files per codesign call: one process per file costs a process start and a keychain lookup each time.</summary>
    public int BatchSize { get; init; } = 8;

    public int MaxAttempts { get; init; } = 4;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>codesign's arguments for the release: hardened runtime, and a secure timestamp for a real identity.</summary>
    public static IReadOnlyList<string> Arguments(SigningIdentity identity, string? entitlements, params IReadOnlyList<string> paths) =>
        Codesign.Arguments(identity, entitlements, hardenedRuntime: true, paths);

    /// <param name="mainExecutables">Bundle-relative paths signed last and with the entitlements.</param>
    public async Task<SignatureRecord> SignAsync(string bundle, SigningIdentity identity, string entitlements, IReadOnlyCollection<string> mainExecutables, CancellationToken cancellationToken)
    {
        SignatureRecord.Remove(bundle);
        var files = HardLinks.Group(MachOScanner.Find(bundle));
        bool IsMain(IReadOnlyList<string> names) => names.Any(x => mainExecutables.Contains(Path.GetRelativePath(bundle, x)));
        var main = files.Where(IsMain).Select(x => x[0]).ToArray();
        var libraries = files.Where(x => !IsMain(x)).Select(x => x[0])
            .OrderByDescending(x => x.Count(c => c == '/'))
            .ThenBy(x => x, StringComparer.Ordinal)
            .ToArray();

        var codesign = new Codesign(runner) { MaxAttempts = MaxAttempts, FirstRetryDelay = FirstRetryDelay };
        var signed = 0;
        void Signed(string file) => Log.Information("signed {Signed}/{Total} {File}", Interlocked.Increment(ref signed), files.Count, Path.GetRelativePath(bundle, file));
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var (group, withEntitlements) in new[] { (libraries, (string?)null), (main, entitlements) })
            {
                var failed = await codesign.SignAsync(group, batch => Arguments(identity, withEntitlements, [.. batch]), BatchSize, Parallelism, Signed, cancellationToken);
                foreach (var (file, message) in failed)
                    failures[file] = message;
            }
        }
        finally
        {
            // Also after a failure: a name left with the old bytes would look signed to nobody and unsigned to the preflight.
            HardLinks.Restore(files);
        }

        if (failures.Count > 0)
        {
            var lines = failures.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"  {Path.GetRelativePath(bundle, x.Key)}: {x.Value}");
            throw new ReleaseException($"codesign failed on {failures.Count} of {files.Count} files; the bundle stays unsigned:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
        }

        var relinked = files.Sum(x => x.Count - 1);
        if (relinked > 0)
            Log.Information("Linked {Count} other name(s) of hard-linked files to their signed file again", relinked);
        var record = new SignatureRecord(identity.Name, identity.IsAdHoc, files.Count, SignatureRecord.FingerprintOf(bundle), DateTimeOffset.UtcNow)
        {
            Contents = await SignatureRecord.HashContentsAsync(bundle, cancellationToken),
        };
        SignatureRecord.Write(bundle, record);
        Log.Information("Signed {Count} Mach-O files with {Identity}", files.Count, identity.Name);
        return record;
    }
}
