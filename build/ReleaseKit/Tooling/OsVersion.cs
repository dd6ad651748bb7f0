using System.Text.RegularExpressions;

namespace ReleaseKit.Tooling;

/// <summary>A macOS version: as Mach-O packs it (xxxx.yy.zz in one 32-bit word) or as a user writes it (14, 13.5, 10.15).</summary>
public sealed partial record OsVersion(int Major, int Minor, int Patch) : IComparable<OsVersion>
{
    public static OsVersion From(uint packed) => new((int)(packed >> 16), (int)((packed >> 8) & 0xff), (int)(packed & 0xff));

    /// <summary>"14", "14.0", "13.5", "10.15.7"; null for anything else.</summary>
    public static OsVersion? TryParse(string? text)
    {
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is not { Success: true })
            return null;
        static int Part(Group group) => group.Success ? int.Parse(group.Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new OsVersion(Part(match.Groups["major"]), Part(match.Groups["minor"]), Part(match.Groups["patch"]));
    }

    public int CompareTo(OsVersion? other) =>
        other is null ? 1 : (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));

    public static bool operator >(OsVersion left, OsVersion right) => left.CompareTo(right) > 0;

    public static bool operator <(OsVersion left, OsVersion right) => left.CompareTo(right) < 0;

    public static bool operator >=(OsVersion left, OsVersion right) => left.CompareTo(right) >= 0;

    public static bool operator <=(OsVersion left, OsVersion right) => left.CompareTo(right) <= 0;

    public override string ToString() => Patch == 0 ? $"{Major}.{Minor}" : $"{Major}.{Minor}.{Patch}";

    [GeneratedRegex(@"^(?<major>[0-9]{1,3})(\.(?<minor>[0-9]{1,2})(\.(?<patch>[0-9]{1,2}))?)?\z")]
    private static partial Regex Pattern();
}
