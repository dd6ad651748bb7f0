using ReleaseKit.Settings;
using ReleaseKit.Tooling;

namespace ReleaseKit.Signing;

/// <summary>The certificate to import and the identity it must provide.</summary>
public sealed record CertificateImport(byte[] Certificate, string Password, SigningIdentity Identity)
{
    private bool PrintMembers(System.Text.StringBuilder builder) =>
        Tooling.Redacted.PrintMembers(this, builder, nameof(Certificate), nameof(Password));
}

/// <summary>ImportCertificate's options, parsed once from <see cref="CertificateParameters"/>: nothing to import, or a complete import.</summary>
public sealed record CertificateOptions(CertificateImport? Import)
{
    public static Parsed<CertificateOptions> Parse(CertificateParameters parameters, SigningIdentity? identity)
    {
        var tool = Security.Tool;
        var problems = new List<string>();
        var base64 = SettingText.FirstSet(parameters.MacosCertP12);
        var password = parameters.MacosCertPassword;
        if ((base64 is not null) != SettingText.IsSet(password))
            problems.Add($"{SettingName.Describe(nameof(parameters.MacosCertP12))} and {SettingName.Describe(nameof(parameters.MacosCertPassword))} go together: set both to import the signing certificate, or neither to use the login keychain");
        if (base64 is null)
            return problems.Count > 0 ? Parsed.Invalid<CertificateOptions>(problems) : Parsed.Valid(new CertificateOptions((CertificateImport?)null));

        var certificate = SigningKeychain.DecodeCertificate(base64);
        if (certificate is null)
            problems.Add($"{SettingName.Describe(nameof(parameters.MacosCertP12))} is not base64: set it to the output of `base64 -i DeveloperID.p12`");

        if (identity is null || identity.IsAdHoc)
            problems.Add($"{SettingName.Describe(nameof(parameters.MacosCertP12))} is set, so {SettingName.Describe(nameof(SigningParameters.SignId))} must name its Developer ID identity, e.g. \"Developer ID Application: Your Name (TEAMID)\"");

        if (problems.Count > 0 || certificate is null || identity is null || password is null)
            return Parsed.Invalid<CertificateOptions>(problems, tool);
        return Parsed.Valid(new CertificateOptions(new CertificateImport(certificate, password, identity)), tool);
    }
}
