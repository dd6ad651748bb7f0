using System.Text.RegularExpressions;

namespace ReleaseKit.Settings;

/// <summary>
/// The spellings a release engineer types for a setting. NUKE binds `--sign-id` and `SIGN_ID`
/// to the parameter SignId (dashes, underscores and case ignored), so errors name both.
/// </summary>
public static partial class SettingName
{
    public static string Flag(string parameter) => "--" + string.Join('-', Words(parameter)).ToLowerInvariant();

    public static string EnvironmentVariable(string parameter) => string.Join('_', Words(parameter)).ToUpperInvariant();

    public static string Describe(string parameter) => $"{EnvironmentVariable(parameter)} ({Flag(parameter)})";

    // A new word starts at an upper-case letter that follows a lower-case letter or a digit,
    // so R2AccessKeyId reads R2-Access-Key-Id, matching the CI secret R2_ACCESS_KEY_ID.
    private static string[] Words(string parameter) => WordBoundary().Split(parameter);

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex WordBoundary();
}
