using System.Security.Cryptography;

namespace ReleaseKit.Tooling;

/// <summary>Hex digests of files, read once sequentially with a large buffer.</summary>
public static class FileHash
{
    public static Task<string> Sha256Async(string path, CancellationToken cancellationToken) => HexAsync(SHA256.Create(), path, cancellationToken);

    public static Task<string> Md5Async(string path, CancellationToken cancellationToken) => HexAsync(MD5.Create(), path, cancellationToken);

    private static async Task<string> HexAsync(HashAlgorithm algorithm, string path, CancellationToken cancellationToken)
    {
        using (algorithm)
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            return Convert.ToHexStringLower(await algorithm.ComputeHashAsync(stream, cancellationToken));
    }
}
