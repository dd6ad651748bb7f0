using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReleaseKit.Packaging;

namespace ReleaseKit.Signing;

/// <summary>
/// What Sign leaves next to the bundle: the identity used and a fingerprint of the signed tree.
/// Package ships a bundle only when the record exists and the tree is unchanged since signing;
/// a failed Sign removes the record, so the bundle counts as unsigned.
/// </summary>
public sealed record SignatureRecord(string Identity, bool AdHoc, int Files, string Fingerprint, DateTimeOffset Signed)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Kept beside the bundle, not in it: a file added inside would change what was signed.</summary>
    public static string PathFor(string bundle) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bundle))!, $".{Path.GetFileName(bundle)}.signature.json");

    public static SignatureRecord? Read(string bundle)
    {
        var path = PathFor(bundle);
        return File.Exists(path) ? JsonSerializer.Deserialize<SignatureRecord>(File.ReadAllText(path)) : null;
    }

    public static void Write(string bundle, SignatureRecord record) => File.WriteAllText(PathFor(bundle), JsonSerializer.Serialize(record, Json));

    public static void Remove(string bundle) => File.Delete(PathFor(bundle));

    /// <summary>Paths, kinds, sizes, modes, link targets and modification times of the whole tree.</summary>
    public static string FingerprintOf(string bundle)
    {
        var text = new StringBuilder();
        foreach (var (relative, info) in DeterministicTar.Entries(bundle))
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
