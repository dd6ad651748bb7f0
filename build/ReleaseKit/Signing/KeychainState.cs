using System.Text.Json;

namespace ReleaseKit.Signing;

/// <summary>
/// What ImportCertificate changed, written before it changes anything, so CleanupKeychain can undo
/// it from another process too: after a crash, a kill, or a run of `nuke CleanupKeychain` alone.
/// </summary>
public sealed record KeychainState(string Keychain, IReadOnlyList<string> PreviousSearchList, string CertificateFile)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static KeychainState? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<KeychainState>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }
}
