using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReleaseKit.Tooling;

namespace ReleaseKit.Signing;

/// <summary>
/// What Sign leaves next to the bundle: the identity used, a fingerprint of the signed tree (paths,
/// kinds, sizes, modes, times) and the SHA-256 of every file. A file edited after signing with its
/// size and time restored keeps the fingerprint but not its hash. Package and Notarize ship a
/// bundle only when the record exists and matches; a failed Sign removes it.
/// </summary>
public sealed record SignatureRecord(string Identity, bool AdHoc, int Files, string Fingerprint, DateTimeOffset Signed)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>SHA-256 of each regular file, by path inside the bundle.</summary>
    public IReadOnlyDictionary<string, string> Contents { get; init; } = new Dictionary<string, string>();

    /// <summary>Kept beside the bundle, not in it: a file added inside would change what was signed.</summary>
    public static string PathFor(string bundle) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bundle))!, $".{Path.GetFileName(bundle)}.signature.json");

    public static SignatureRecord? Read(string bundle)
    {
        var path = PathFor(bundle);
        if (!File.Exists(path))
            return null;
        try
        {
            var record = JsonSerializer.Deserialize<SignatureRecord>(File.ReadAllText(path)) ?? throw new JsonException("empty");
            // The serializer fills a missing or null member with null whatever the type says.
            if (record.Identity is null || record.Fingerprint is null || record.Contents is null || record.Contents.Values.Any(x => x is null))
                throw new JsonException("a member is missing or null");
            return record;
        }
        catch (JsonException exception)
        {
            throw new ReleaseException($"The signing record {path} is damaged ({exception.Message}): run Sign again, which writes a new one");
        }
    }

    /// <summary>Written whole or not at all: a half-written record must not pass for a signature.</summary>
    public static void Write(string bundle, SignatureRecord record) => AtomicFile.WriteAllText(PathFor(bundle), JsonSerializer.Serialize(record, Json));

    public static void Remove(string bundle) => File.Delete(PathFor(bundle));

    /// <summary>
    /// The one check before a signed bundle leaves this machine (Package, Notarize): signed, and
    /// unchanged in its tree since. Contents are compared by the caller, while it reads the files.
    /// </summary>
    /// <param name="step">The stage asking, named in the errors.</param>
    public static SignatureRecord Require(string bundle, string step)
    {
        if (!Directory.Exists(bundle))
            throw new ReleaseException($"There is no bundle at {bundle} to {step.ToLowerInvariant()}: run Bundle and Sign first");
        var record = Read(bundle)
            ?? throw new ReleaseException($"The bundle {bundle} is not signed: run Sign before {step} (use SIGN_ID=- with --skip-notarize for a local ad-hoc build)");
        if (record.Fingerprint != FingerprintOf(bundle))
            throw new ReleaseException($"The bundle {bundle} changed after it was signed: run Sign again before {step}");
        return record;
    }

    /// <summary>Null when the file's content is the one signed; otherwise the problem, naming the file.</summary>
    public string? ContentProblem(string relative, string sha256) =>
        Contents.TryGetValue(relative, out var signed) && signed == sha256
            ? null
            : $"{relative} changed after it was signed (its content differs from what Sign hashed): run Sign again";

    /// <summary>Hashes every file again (in parallel), for a stage that does not read the files itself.</summary>
    public async Task EnsureContentsAsync(string bundle, CancellationToken cancellationToken)
    {
        if (await ContentsProblemAsync(bundle, cancellationToken) is { } problem)
            throw new ReleaseException($"The bundle {bundle} is not what was signed: {problem}");
    }

    /// <summary>The first file of the tree (a bundle, or one unpacked from its tarball) that is not what Sign hashed, or null.</summary>
    public async Task<string?> ContentsProblemAsync(string tree, CancellationToken cancellationToken)
    {
        var now = await HashContentsAsync(tree, cancellationToken);
        return now.Select(x => ContentProblem(x.Key, x.Value)).FirstOrDefault(x => x is not null)
               ?? Contents.Keys.Where(x => !now.ContainsKey(x)).Select(x => $"{x} is gone since signing: run Bundle and Sign again").FirstOrDefault();
    }

    /// <summary>SHA-256 of every regular file below the bundle, several files at a time.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> HashContentsAsync(string bundle, CancellationToken cancellationToken)
    {
        var hashes = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var files = TreeWalk.Shipped(bundle).Where(x => x.Info is FileInfo && x.Info.LinkTarget is null);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (entry, token) => hashes[entry.Relative] = await FileHash.Sha256Async(entry.Info.FullName, token));
        return new SortedDictionary<string, string>(hashes, StringComparer.Ordinal);
    }

    /// <summary>Paths, kinds, sizes, modes, link targets and modification times of the whole tree.</summary>
    public static string FingerprintOf(string bundle)
    {
        var text = new StringBuilder();
        foreach (var (relative, info) in TreeWalk.Shipped(bundle))
        {
            text.Append(relative).Append('\t');
            if (info.LinkTarget is { } target)
                text.Append("-> ").Append(target);
            else if (info is FileInfo file)
                text.Append(file.Length).Append(' ').Append((int)file.UnixFileMode).Append(' ').Append(file.LastWriteTimeUtc.Ticks);
            else
                text.Append("dir ").Append((int)info.UnixFileMode);
            text.Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
