namespace ReleaseKit.Tooling;

/// <summary>A codesign identity: a Developer ID ("Developer ID Application: Name (TEAMID)") or '-' for ad-hoc.</summary>
public sealed record SigningIdentity(string Name)
{
    public const string AdHocName = "-";

    public static SigningIdentity AdHoc { get; } = new(AdHocName);

    /// <summary>Ad-hoc signatures carry no team and no timestamp; Apple notarizes none of them.</summary>
    public bool IsAdHoc => Name == AdHocName;

    /// <summary>
    /// Whether the name can be a Developer ID Application identity, the only kind Apple notarizes:
    /// its name as the keychain shows it, or a certificate's SHA-1 fingerprint (whose kind the
    /// preflight reads from the signatures).
    /// </summary>
    public bool MayBeDeveloperIdApplication =>
        Name.StartsWith("Developer ID Application", StringComparison.Ordinal) ||
        System.Text.RegularExpressions.Regex.IsMatch(Name, "^[0-9A-Fa-f]{40}\\z");

    public override string ToString() => Name;
}
