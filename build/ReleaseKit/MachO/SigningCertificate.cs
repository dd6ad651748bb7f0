using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace ReleaseKit.MachO;

/// <summary>What kind of certificate signed a file, by the marker extension Apple puts on each kind of leaf.</summary>
public enum CertificateKind
{
    Unknown,

    /// <summary>The only kind the notary service accepts for code outside the Mac App Store.</summary>
    DeveloperIdApplication,

    /// <summary>"3rd Party Mac Developer Application": Mac App Store submissions only.</summary>
    MacAppStore,

    /// <summary>"Apple Development" / "Mac Developer": for running on the developer's own devices.</summary>
    Development,
}

/// <summary>The leaf certificate of a code signature's CMS blob: its kind, team and name.</summary>
public sealed record SigningCertificate(CertificateKind Kind, string? TeamId, string CommonName)
{
    // Apple's marker extensions on leaf certificates; Developer ID Application is the one the
    // designated requirement of notarizable code tests (certificate leaf[field.1.2.840.113635.100.6.1.13]).
    private static readonly (string Oid, CertificateKind Kind)[] Markers =
    [
        ("1.2.840.113635.100.6.1.13", CertificateKind.DeveloperIdApplication),
        ("1.2.840.113635.100.6.1.7", CertificateKind.MacAppStore),
        ("1.2.840.113635.100.6.1.12", CertificateKind.Development),
        ("1.2.840.113635.100.6.1.2", CertificateKind.Development),
    ];

    public string KindName => Kind switch
    {
        CertificateKind.DeveloperIdApplication => "Developer ID Application",
        CertificateKind.MacAppStore => "Mac App Store (3rd Party Mac Developer Application)",
        CertificateKind.Development => "Apple Development",
        _ => "a certificate that is not Apple's Developer ID Application",
    };

    /// <summary>The signer's certificate, from the certificates the blob carries; null when there is none to read.</summary>
    internal static SigningCertificate? FromCms(ReadOnlySpan<byte> cms)
    {
        var signed = new SignedCms();
        try
        {
            // Decode reads BER, indefinite lengths included, which is how codesign writes the blob.
            signed.Decode(cms);
        }
        catch (CryptographicException)
        {
            return null;
        }

        if (signed.SignerInfos.Count == 0 || signed.SignerInfos[0].Certificate is not { } leaf)
            return null;
        return FromCertificate(leaf);
    }

    internal static SigningCertificate FromCertificate(X509Certificate2 leaf)
    {
        var kind = Markers.FirstOrDefault(x => leaf.Extensions[x.Oid] is not null).Kind;
        var team = leaf.SubjectName.EnumerateRelativeDistinguishedNames()
            .FirstOrDefault(x => x.GetSingleElementType().Value == "2.5.4.11")?.GetSingleElementValue();
        return new SigningCertificate(kind, team, leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
    }

    public override string ToString() => $"{CommonName} ({KindName})";
}
