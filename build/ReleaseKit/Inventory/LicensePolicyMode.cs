namespace ReleaseKit.Inventory;

/// <summary>What the licence policy does with a copyleft or undeclared licence among the bundled packages.</summary>
public enum LicensePolicyMode
{
    /// <summary>Findings are listed in the release summary; the release goes on.</summary>
    Warn,

    /// <summary>Any finding stops the release, naming the packages.</summary>
    Fail,
}

/// <remarks>Taken as text for the same reason as the variant (see BundleVariantNames).</remarks>
public static class LicensePolicyNames
{
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<LicensePolicyMode>().Select(Name).ToArray();

    public static string Name(this LicensePolicyMode mode) => mode.ToString().ToLowerInvariant();

    public static LicensePolicyMode? Parse(string? name) =>
        Enum.GetValues<LicensePolicyMode>().Select(x => (LicensePolicyMode?)x).FirstOrDefault(x => x!.Value.ToString().Equals(name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
