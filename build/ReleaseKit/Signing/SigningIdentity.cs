namespace ReleaseKit.Signing;

/// <summary>A codesign identity: a Developer ID ("Developer ID Application: Name (TEAMID)") or '-' for ad-hoc.</summary>
public sealed record SigningIdentity(string Name)
{
    public const string AdHocName = "-";

    public static SigningIdentity AdHoc { get; } = new(AdHocName);

    /// <summary>Ad-hoc signatures carry no team and no timestamp; Apple notarizes none of them.</summary>
    public bool IsAdHoc => Name == AdHocName;

    public override string ToString() => Name;
}
