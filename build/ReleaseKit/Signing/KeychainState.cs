using ReleaseKit.Tooling;

namespace ReleaseKit.Signing;

/// <summary>
/// What ImportCertificate changed, written before it changes anything, so CleanupKeychain can undo
/// it from another process too: after a crash, a kill, or a run of `nuke CleanupKeychain` alone.
/// </summary>
public sealed record KeychainState(string Keychain, IReadOnlyList<string> PreviousSearchList, string CertificateFile)
{
    public static KeychainState? Read(string path) => JsonFile.Read<KeychainState>(path);

    public void Write(string path) => JsonFile.Write(path, this);
}
