namespace ReleaseKit.Bundling;

/// <summary>
/// The folders of a bundle that hold installed Python distributions, each with its .dist-info:
/// everything that ships, for the notices, the licence policy and the SBOM.
/// </summary>
public static class BundleSites
{
    /// <returns>For the external variant _vendor/ and the embedded python's own site-packages (python-build-standalone ships pip there); for PyInstaller _internal/.</returns>
    public static IReadOnlyList<string> Of(string bundle, BundleVariant variant)
    {
        if (variant == BundleVariant.PyInstaller)
            return [Path.Combine(bundle, "_internal")];
        var lib = Path.Combine(bundle, "python", "lib");
        var pythons = Directory.Exists(lib)
            ? Directory.GetDirectories(lib, "python3*").Select(x => Path.Combine(x, "site-packages")).Where(Directory.Exists).Order(StringComparer.Ordinal).ToArray()
            : [];
        return [Path.Combine(bundle, "_vendor"), .. pythons];
    }
}
