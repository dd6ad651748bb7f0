namespace ReleaseKit.Bundling;

/// <summary>How the app is bundled; the stages compare these, never strings.</summary>
public enum BundleVariant
{
    /// <summary>dist-ext-python/&lt;AppName&gt;/: python/, _vendor/ and the native launcher.</summary>
    External,

    /// <summary>dist/&lt;AppName&gt;/ with _internal/, built by PyInstaller.</summary>
    PyInstaller,
}

/// <remarks>
/// The host takes the variant as text: NUKE turns an enum value it cannot convert into a warning
/// and the default, which would silently build the other variant. The text is parsed here, and
/// anything else is a settings problem listed with the others.
/// </remarks>
public static class BundleVariantNames
{
    /// <summary>The spellings users type and the summary shows: external, pyinstaller.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<BundleVariant>().Select(Name).ToArray();

    public static string Name(this BundleVariant variant) => variant.ToString().ToLowerInvariant();

    public static BundleVariant? Parse(string? name) =>
        Enum.GetValues<BundleVariant>().Select(x => (BundleVariant?)x).FirstOrDefault(x => x!.Value.Name() == name?.Trim().ToLowerInvariant());
}
