using ReleaseKit.Tooling;

namespace ReleaseKit.Settings;

/// <summary>
/// The oldest macOS a release supports (--macos-min): pip picks wheels for it, and the preflight
/// refuses any Mach-O that needs a newer one. 14.0 is the oldest macOS mlx supports (its wheels
/// start at macosx_14_0 and its documentation asks for macOS 14); the embedded Python
/// (python-build-standalone) runs from 11.0.
/// </summary>
public static class MacOsMinimum
{
    public static readonly OsVersion Default = new(14, 0, 0);

    /// <summary>The host's parameter: --macos-min, MACOS_MIN.</summary>
    public const string Parameter = "MacosMin";

    // Apple Silicon Macs shipped with macOS 11.
    private static readonly OsVersion AppleSilicon = new(11, 0, 0);

    public static Parsed<OsVersion> Parse(string? text)
    {
        if (SettingText.FirstSet(text) is not { } given)
            return Parsed.Valid(Default);
        var name = SettingName.Describe(Parameter);
        return OsVersion.TryParse(given) switch
        {
            null => Parsed.Invalid<OsVersion>([$"{name} is '{given}': give a macOS version such as 14.0 or 15"]),
            var version when version < AppleSilicon => Parsed.Invalid<OsVersion>([$"{name} is {version}: Apple Silicon Macs run macOS 11.0 or later"]),
            var version => Parsed.Valid(version),
        };
    }
}
