namespace ReleaseKit.Settings;

/// <summary>What the licence policy does with a copyleft or undeclared licence among the bundled packages.</summary>
public enum LicensePolicyMode
{
    /// <summary>Findings are listed in the release summary; the release goes on.</summary>
    Warn,

    /// <summary>Any finding stops the release, naming the packages.</summary>
    Fail,
}
