using System.Text;

namespace ReleaseKit.Inventory;

/// <summary>
/// THIRD_PARTY_NOTICES.txt at the bundle root: CPython's licence, then for every distribution
/// its name, version, licence and the full text of its licence files. The order and the text
/// depend only on what is installed, so the tarball stays reproducible.
/// </summary>
public static class ThirdPartyNotices
{
    public const string FileName = "THIRD_PARTY_NOTICES.txt";

    /// <param name="cpythonLicense">CPython's LICENSE.txt (lib/python3.X/LICENSE.txt of the bundled python); null when it is missing.</param>
    public static string Write(string bundleRoot, string appName, string pythonVersion, string? cpythonLicense, IReadOnlyList<PythonDistribution> distributions)
    {
        var text = new StringBuilder();
        text.Append($"Third-party software in {appName}\n");
        text.Append($"{distributions.Count + 1} components: CPython and the Python distributions in the bundle.\n\n");

        Section(text, $"CPython {pythonVersion}", "PSF-2.0 (Python Software Foundation License Version 2)");
        text.Append(cpythonLicense is not null && File.Exists(cpythonLicense)
            ? Normalize(File.ReadAllText(cpythonLicense))
            : "The licence text was not found in the bundled python (lib/python3.X/LICENSE.txt); see https://docs.python.org/3/license.html\n");

        foreach (var distribution in distributions)
        {
            text.Append('\n');
            Section(text, $"{distribution.Name} {distribution.Version}", distribution.License ?? "not declared by the package");
            if (distribution.LicenseFiles.Count == 0)
                text.Append("No licence file ships with this distribution.\n");
            foreach (var file in distribution.LicenseFiles)
                text.Append($"--- {file.Name} ---\n").Append(Normalize(file.Text));
        }

        var path = Path.Combine(bundleRoot, FileName);
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }

    private static void Section(StringBuilder text, string title, string license) =>
        text.Append(new string('=', 78)).Append('\n').Append(title).Append('\n').Append("License: ").Append(license).Append('\n')
            .Append(new string('=', 78)).Append('\n');

    private static string Normalize(string text)
    {
        var lines = text.ReplaceLineEndings("\n").TrimEnd('\n');
        return lines + "\n";
    }
}
