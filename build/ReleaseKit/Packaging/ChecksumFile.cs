namespace ReleaseKit.Packaging;

/// <summary>
/// The tarball's .sha256, in sha256sum's format ("HASH  NAME"), as Package writes it and as
/// Upload, Verify and a downloaded release read it back: only the hash counts.
/// </summary>
public static class ChecksumFile
{
    public const string Extension = ".sha256";

    public static string Of(string file) => file + Extension;

    public static string Content(string sha256, string fileName) => $"{sha256}  {fileName}\n";

    /// <summary>The hash the file lists: its first word, as written (callers decide about case).</summary>
    public static async Task<string> ReadAsync(string path, CancellationToken cancellationToken) =>
        (await File.ReadAllTextAsync(path, cancellationToken)).Split([' ', '\n', '\t'], 2)[0].Trim();
}
