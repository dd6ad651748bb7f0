using System.Text.RegularExpressions;
using ReleaseKit.Settings;
using ReleaseKit.Tooling;

namespace ReleaseKit.Python;

/// <summary>
/// The Python that goes into the bundle, decided once: a folder given with --embedded-python,
/// else a python-build-standalone download into ./python, else the ./python already there.
/// </summary>
public sealed partial record PythonSource
{
    /// <summary>The python folder or its bin/python3 (--embedded-python); wins over a download.</summary>
    public string? Embedded { get; init; }

    /// <summary>The archive to download into ./python when no folder is given.</summary>
    public Uri? Download { get; init; }

    /// <summary>The archive's expected SHA-256; null to take it from the release's SHA256SUMS.</summary>
    public string? Sha256 { get; init; }

    /// <summary>A Python that is not an arm64 macOS binary is a warning rather than an error (--allow-foreign-python).</summary>
    public bool AllowForeign { get; init; }

    /// <param name="prepareOnMacOS">FetchPython clears quarantine and pre-signs with xattr and codesign on macOS.</param>
    public static Parsed<PythonSource> Parse(PythonParameters parameters, string rootDirectory, bool prepareOnMacOS)
    {
        ExternalTool[] tools = prepareOnMacOS ? [Xattr.Tool, Codesign.Tool] : [];
        var problems = new List<string>();
        var embedded = SettingText.FirstSet(parameters.EmbeddedPython);
        var url = SettingText.FirstSet(parameters.CpythonUrl);
        var sha256 = SettingText.FirstSet(parameters.CpythonSha256);

        var localPython = Path.Combine(rootDirectory, "python", "bin", "python3");
        if (embedded is null && url is null && !File.Exists(localPython))
            problems.Add($"No Python to bundle: set {SettingName.Describe(nameof(parameters.CpythonUrl))} to a python-build-standalone aarch64-apple-darwin install_only archive, " +
                         $"or {SettingName.Describe(nameof(parameters.EmbeddedPython))} to a python folder, or put one at {localPython}");

        if (embedded is not null && !File.Exists(embedded) && !Directory.Exists(embedded))
            problems.Add($"{SettingName.Describe(nameof(parameters.EmbeddedPython))} points to '{embedded}', which does not exist: give the python folder or its bin/python3");

        Uri? download = null;
        if (url is not null)
        {
            // Plain http only to this machine (a local mirror or the tests' server): anything else could be altered on the way.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
                problems.Add($"{SettingName.Describe(nameof(parameters.CpythonUrl))} must be an https URL (http only for 127.0.0.1 or localhost): '{url}'");
            else if (ReleaseChecksums.ProblemWithAssetName(uri) is { } problem)
                problems.Add(problem);
            else
                download = uri;
        }

        if (sha256 is not null && !Sha256Pattern().IsMatch(sha256))
            problems.Add($"{SettingName.Describe(nameof(parameters.CpythonSha256))} must be 64 hexadecimal characters (a SHA-256), got '{sha256}'");

        return problems.Count > 0
            ? Parsed.Invalid<PythonSource>(problems, tools)
            : Parsed.Valid(new PythonSource { Embedded = embedded, Download = download, Sha256 = sha256?.ToLowerInvariant(), AllowForeign = parameters.AllowForeignPython }, tools);
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
