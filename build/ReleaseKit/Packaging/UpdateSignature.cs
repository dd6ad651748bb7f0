namespace ReleaseKit.Packaging;

/// <summary>
/// The tarball's signature for the in-app updater (artifacts/&lt;AppName&gt;-&lt;Version&gt;.tgz.minisig):
/// minisign's format, so `minisign -Vm FILE -P KEY` and an updater with Node's crypto check it, and
/// its trusted comment (signed too) names the file, the version and the tarball's SHA-256.
/// </summary>
public static class UpdateSignature
{
    public const string Extension = ".minisig";

    public static string TrustedComment(string fileName, string version, string sha256, DateTimeOffset time) =>
        $"timestamp:{time.ToUnixTimeSeconds()}\tfile:{fileName}\tversion:{version}\tsha256:{sha256}";

    public static string Sign(MinisignKey key, string tarball, string fileName, string version, string sha256, DateTimeOffset time)
    {
        using var file = File.OpenRead(tarball);
        return key.Sign(file, TrustedComment(fileName, version, sha256, time));
    }
}
