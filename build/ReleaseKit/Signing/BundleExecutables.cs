using ReleaseKit.MachO;

namespace ReleaseKit.Signing;

/// <summary>
/// The executables of a bundle, as bundle-relative paths: the launcher and python's own
/// binaries. They carry the entitlements, and under library validation every library must
/// share their team.
/// </summary>
public static class BundleExecutables
{
    public static IReadOnlyList<string> Of(string bundle, string appName)
    {
        var pythonBin = Path.Combine(bundle, "python", "bin");
        return (Directory.Exists(pythonBin) ? MachOScanner.Find(pythonBin) : [])
            .Select(x => Path.GetRelativePath(bundle, x))
            .Append(appName)
            .ToArray();
    }
}
