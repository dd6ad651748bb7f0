using System.Text.Json;
using ReleaseKit.Tooling;

namespace ReleaseKit.Settings;

/// <summary>The version being released and where it came from.</summary>
public sealed record ReleaseVersion(string Value, string Source)
{
    public override string ToString() => Value;

    /// <summary>An explicit version wins; otherwise the version field of package.json.</summary>
    public static ReleaseVersion Resolve(string? requested, string packageJsonPath)
    {
        if (!string.IsNullOrWhiteSpace(requested))
            // Spaces around a typed value are forgiven; a line break is not (it would end up in file names).
            return new ReleaseVersion(Validate(requested.Trim(' ', '\t'), "--version / VERSION"), "--version / VERSION");

        return new ReleaseVersion(Validate(ReadPackageJson(packageJsonPath), packageJsonPath), "package.json");
    }

    /// <summary>The version, or the problem with it, for the settings check to list with the others.</summary>
    public static Parsed<ReleaseVersion> Parse(string? requested, string packageJsonPath)
    {
        try
        {
            return Parsed.Valid(Resolve(requested, packageJsonPath));
        }
        catch (ReleaseException exception)
        {
            return Parsed.Invalid<ReleaseVersion>([exception.Message]);
        }
    }

    /// <summary>
    /// Accepts the PEP 440 public versions a release uses: 2.0.0, 2.0.0b6, 2.0.0rc1, 2.0.0.post1,
    /// 2.0.0.dev3. They double as file names and object keys, so nothing else gets through.
    /// </summary>
    public static string Validate(string version, string source)
    {
        // PEP 440's own grammar (the one requirements are checked with), in its canonical spelling
        // only, without epoch or local part, and with two to four release numbers.
        if (Pep440Version.TryParse(version, out var parsed) && parsed.Normalized == version && parsed.Epoch == 0 && parsed.Local is null &&
            parsed.Release.Count is >= 2 and <= 4)
            return version;

        var hint = version switch
        {
            _ when version.StartsWith('v') || version.StartsWith('V') => $"drop the leading 'v': {version[1..]}",
            _ when version.Contains('-') => "write pre-releases the PEP 440 way: 2.0.0b6 or 2.0.0rc1, not 2.0.0-beta.6",
            _ => "use a PEP 440 version such as 2.0.0, 2.0.0b6 or 2.0.0rc1",
        };
        throw new ReleaseException($"Version '{version}' from {source} is not a valid release version: {hint}");
    }

    private static string ReadPackageJson(string path)
    {
        const string fix = "add a \"version\" field or pass --version (env VERSION)";
        if (!File.Exists(path))
            throw new ReleaseException($"No version given and {path} does not exist: pass --version 2.0.0 (env VERSION) or run from the project root");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException exception)
        {
            throw new ReleaseException($"{path} is not valid JSON (line {exception.LineNumber + 1}): fix the file or pass --version (env VERSION)", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("version", out var element))
                throw new ReleaseException($"{path} has no \"version\" field: {fix}");

            if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
                throw new ReleaseException($"The \"version\" field of {path} is not a non-empty string: {fix}");

            return element.GetString()!;
        }
    }

}
