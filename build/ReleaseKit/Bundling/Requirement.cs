using System.Text.RegularExpressions;
using ReleaseKit.Tooling;

namespace ReleaseKit.Bundling;

/// <summary>One line of requirements.txt that names a package: "mlx-lm&gt;=0.28 ; sys_platform == 'darwin'".</summary>
public sealed partial record Requirement(string Name, VersionSpecifier Specifier, string Line)
{
    /// <summary>PEP 503: case and runs of '-', '_', '.' do not matter (mlx_lm, MLX-LM and mlx.lm are one package).</summary>
    public static string Normalize(string name) => Separators().Replace(name.ToLowerInvariant(), "-");

    public string Key => Normalize(Name);

    public static Requirement? TryParse(string line)
    {
        var text = line.Split(" #")[0].Trim();
        if (text.Length == 0 || text.StartsWith('#') || text.StartsWith('-'))
            return null;

        var match = Pattern().Match(text);
        if (!match.Success)
            throw new ReleaseException($"Cannot read the requirement '{line}': write it as name[extras] specifier, e.g. mlx>=0.29");
        var specifier = match.Groups["url"].Success ? VersionSpecifier.Parse("") : VersionSpecifier.Parse(match.Groups["spec"].Value);
        return new Requirement(match.Groups["name"].Value, specifier, line);
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(?:(?<url>@\s*\S+)|(?<spec>[^;]*))(?:;.*)?$")]
    private static partial Regex Pattern();

    [GeneratedRegex("[-_.]+")]
    private static partial Regex Separators();
}
