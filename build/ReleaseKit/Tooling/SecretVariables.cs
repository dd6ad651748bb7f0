namespace ReleaseKit.Tooling;

/// <summary>
/// The environment variables that carry secrets into a release (the workflow's secrets and their
/// electron-builder names), in every spelling NUKE binds: case, '_' and a NUKE prefix ignored.
/// </summary>
public static class SecretVariables
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "APPLE_APP_SPECIFIC_PASSWORD", "APPLE_PASSWORD", "NOTARY_KEY", "APPLE_API_KEY",
        "MACOS_CERT_P12", "MACOS_CERT_PASSWORD", "CSC_LINK", "CSC_KEY_PASSWORD", "R2_SECRET_ACCESS_KEY",
        "UPDATE_SIGNING_KEY", "UPDATE_SIGNING_KEY_PASSWORD",
    ];

    private static readonly HashSet<string> Keys = Names.Select(Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsSecret(string name)
    {
        var key = Key(name);
        return Keys.Contains(key) || (key.StartsWith("NUKE", StringComparison.OrdinalIgnoreCase) && Keys.Contains(key[4..]));
    }

    private static string Key(string name) => new(name.Where(char.IsLetterOrDigit).ToArray());
}
