using System.Text.RegularExpressions;

namespace ReleaseKit.Signing;

/// <param name="Problem">Why it is not valid, as security prints it in parentheses (CSSMERR_TP_NOT_TRUSTED), or null.</param>
public sealed record KeychainIdentity(string Hash, string Name, string? Problem);

/// <summary>Reads what `security list-keychains` and `security find-identity` print.</summary>
public static partial class SecurityOutput
{
    /// <summary>One quoted path per line: `    "/Users/me/Library/Keychains/login.keychain-db"`.</summary>
    public static IReadOnlyList<string> SearchList(string output) =>
        output.Split('\n').Select(x => x.Trim()).Where(x => x.Length > 2 && x[0] == '"' && x[^1] == '"').Select(x => x[1..^1]).ToArray();

    /// <summary>Lines such as `  1) 3A1B…(40 hex) "Developer ID Application: Name (TEAMID)" (CSSMERR_TP_NOT_TRUSTED)`, without repeats.</summary>
    public static IReadOnlyList<KeychainIdentity> Identities(string output) =>
        output.Split('\n').Select(x => IdentityLine().Match(x)).Where(x => x.Success)
            .Select(x => new KeychainIdentity(x.Groups["hash"].Value, x.Groups["name"].Value, x.Groups["problem"].Success ? x.Groups["problem"].Value : null))
            .DistinctBy(x => (x.Hash, x.Problem))
            .ToArray();

    /// <summary>codesign accepts a SHA-1 of the certificate or a part of its name.</summary>
    public static bool Matches(KeychainIdentity identity, string signId) =>
        identity.Hash.Equals(signId, StringComparison.OrdinalIgnoreCase) || identity.Name.Contains(signId, StringComparison.Ordinal);

    [GeneratedRegex("""^\s*\d+\)\s+(?<hash>[0-9A-Fa-f]{40})\s+"(?<name>.*)"(?:\s+\((?<problem>[^)]*)\))?\s*$""")]
    private static partial Regex IdentityLine();
}
