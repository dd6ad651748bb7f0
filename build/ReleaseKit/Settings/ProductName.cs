using System.Text.RegularExpressions;

namespace ReleaseKit.Settings;

/// <summary>
/// The product's name (--app-name): the bundle folder, the launcher and the tarball carry it, and every
/// stage's paths start from it. Not the Python app the product runs (--app-source, --app-package).
/// </summary>
public static partial class ProductName
{
    public const string Default = "msty-mlx-studio";

    /// <summary>Why the name cannot be a folder and file name, or null.</summary>
    public static string? Problem(string name) => Pattern().IsMatch(name)
        ? null
        : $"{SettingName.Describe("AppName")} is '{name}': use letters, digits, '.', '_' or '-' (it becomes a folder and file name)";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z")]
    private static partial Regex Pattern();
}
