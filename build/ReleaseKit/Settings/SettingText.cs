namespace ReleaseKit.Settings;

/// <summary>How a typed setting reads: blank means unset, and surrounding spaces are forgiven.</summary>
/// <remarks>
/// A workflow_dispatch input left empty still reaches the build as an empty variable, and means
/// "use the default", so a blank value must never count as given.
/// </remarks>
public static class SettingText
{
    /// <summary>The first of the values that is set, trimmed; null when none is.</summary>
    public static string? FirstSet(params string?[] values) => values.FirstOrDefault(x => !string.IsNullOrWhiteSpace(x))?.Trim();

    public static bool IsSet(string? value) => !string.IsNullOrWhiteSpace(value);
}
