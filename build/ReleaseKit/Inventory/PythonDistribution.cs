using System.Security.Cryptography;
using System.Text;

namespace ReleaseKit.Inventory;

/// <summary>A licence file of a distribution: its path inside the .dist-info folder and its text.</summary>
public sealed record LicenseFile(string Name, string Text);

/// <summary>
/// One Python distribution installed in the bundle, read from its *.dist-info: name, version,
/// licence (PEP 639 License-Expression, else License, else the licence classifiers), the texts
/// of its licence files, and the SHA-256 of its RECORD (which lists the hash of every file).
/// </summary>
public sealed record PythonDistribution(
    string Name,
    string Version,
    string? License,
    LicenseKind LicenseKind,
    IReadOnlyList<LicenseFile> LicenseFiles,
    string? RecordSha256)
{
    /// <summary>PEP 503 normalised name: lower case, runs of '-', '_' and '.' as one '-'.</summary>
    public string NormalizedName => System.Text.RegularExpressions.Regex.Replace(Name.ToLowerInvariant(), "[-_.]+", "-");

    public string Purl => $"pkg:pypi/{NormalizedName}@{Uri.EscapeDataString(Version)}";
}

public enum LicenseKind
{
    None,

    /// <summary>An SPDX expression (PEP 639 License-Expression).</summary>
    Expression,

    /// <summary>Free text: the License field, or the names of the licence classifiers.</summary>
    Name,
}

public static class PythonDistributions
{
    private static readonly string[] LicenseFilePrefixes = ["LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS"];

    /// <summary>Every distribution of every site folder, by normalised name then version; one that ships twice is listed twice.</summary>
    public static IReadOnlyList<PythonDistribution> Read(IEnumerable<string> sites) =>
        sites.SelectMany(Read)
            .OrderBy(x => x.NormalizedName, StringComparer.Ordinal)
            .ThenBy(x => x.Version, StringComparer.Ordinal)
            .ToArray();

    /// <summary>Every distribution whose .dist-info sits directly in the site folder, by normalised name then version.</summary>
    public static IReadOnlyList<PythonDistribution> Read(string sitePackages)
    {
        if (!Directory.Exists(sitePackages))
            return [];
        return Directory.EnumerateDirectories(sitePackages, "*.dist-info")
            .Select(ReadOne)
            .OfType<PythonDistribution>()
            .OrderBy(x => x.NormalizedName, StringComparer.Ordinal)
            .ThenBy(x => x.Version, StringComparer.Ordinal)
            .ToArray();
    }

    private static PythonDistribution? ReadOne(string distInfo)
    {
        var metadataPath = Path.Combine(distInfo, "METADATA");
        if (!File.Exists(metadataPath))
            return null;
        var headers = Metadata.Parse(File.ReadAllText(metadataPath));
        if (headers.Get("Name") is not { } name || headers.Get("Version") is not { } version)
            return null;

        var (license, kind) = headers.Get("License-Expression") is { Length: > 0 } expression
            ? (expression, LicenseKind.Expression)
            : headers.Get("License") is { Length: > 0 } text && !IsPlaceholder(text)
                ? (text, LicenseKind.Name)
                : headers.All("Classifier").Where(x => x.StartsWith("License ::", StringComparison.Ordinal)).Select(x => x.Split("::").Last().Trim()).ToArray() is { Length: > 0 } classifiers
                    ? (string.Join(" AND ", classifiers.Distinct()), LicenseKind.Name)
                    : (null, LicenseKind.None);

        var record = Path.Combine(distInfo, "RECORD");
        var recordSha = File.Exists(record) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(record))) : null;
        return new PythonDistribution(name, version, license, kind, LicenseFiles(distInfo, headers.All("License-File")), recordSha);
    }

    // setuptools writes "UNKNOWN" when a project declares nothing.
    private static bool IsPlaceholder(string license) => license.Trim() is "UNKNOWN" or "None" or "";

    /// <summary>
    /// License-File entries (relative to .dist-info/licenses/ since metadata 2.4, to the folder
    /// itself before), else everything in .dist-info/licenses/, else LICENSE*, COPYING*, NOTICE*.
    /// </summary>
    private static IReadOnlyList<LicenseFile> LicenseFiles(string distInfo, IReadOnlyList<string> declared)
    {
        var files = declared
            .Select(x => new[] { Path.Combine(distInfo, "licenses", x), Path.Combine(distInfo, x) }.FirstOrDefault(File.Exists))
            .OfType<string>()
            .ToList();
        if (files.Count == 0 && Directory.Exists(Path.Combine(distInfo, "licenses")))
            files.AddRange(Directory.EnumerateFiles(Path.Combine(distInfo, "licenses"), "*", SearchOption.AllDirectories));
        if (files.Count == 0)
            files.AddRange(Directory.EnumerateFiles(distInfo).Where(x => LicenseFilePrefixes.Any(p => Path.GetFileName(x).StartsWith(p, StringComparison.OrdinalIgnoreCase))));

        var root = Path.GetFullPath(distInfo);
        return files.Select(Path.GetFullPath)
            .Where(x => x.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Distinct()
            .OrderBy(x => x, StringComparer.Ordinal)
            .Select(x => new LicenseFile(Path.GetRelativePath(root, x).Replace('\\', '/'), File.ReadAllText(x, Encoding.UTF8)))
            .ToArray();
    }
}
