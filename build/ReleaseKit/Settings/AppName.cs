using System.Text.RegularExpressions;

namespace ReleaseKit.Settings;

/// <summary>The name of the bundle folder, the launcher and the tarball: every stage's paths start from it.</summary>
public static partial class AppName
{
    public const string Default = "msty-mlx-studio";

    /// <summary>Why the name cannot be a folder and file name, or null.</summary>
    public static string? Problem(string name) => Pattern().IsMatch(name)
        ? null
        : $"{SettingName.Describe(nameof(AppName))} is '{name}': use letters, digits, '.', '_' or '-' (it becomes a folder and file name)";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z")]
    private static partial Regex Pattern();
}
