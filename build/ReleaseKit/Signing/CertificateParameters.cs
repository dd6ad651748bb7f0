namespace ReleaseKit.Signing;

/// <summary>The Developer ID certificate CI imports into a temporary keychain (MACOS_CERT_P12, MACOS_CERT_PASSWORD).</summary>
public sealed record CertificateParameters
{
    public string? MacosCertP12 { get; init; }
    public string? MacosCertPassword { get; init; }

    /// <summary>Whether a certificate is given, so ImportCertificate has something to do.</summary>
    public bool Imports => Settings.SettingText.IsSet(MacosCertP12);

    private bool PrintMembers(System.Text.StringBuilder builder) =>
        Tooling.Redacted.PrintMembers(this, builder, nameof(MacosCertP12), nameof(MacosCertPassword));
}
