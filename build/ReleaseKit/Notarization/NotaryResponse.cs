using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReleaseKit.Notarization;

/// <summary>
/// What one notarytool call answered. With --output-format json it prints a single object at
/// the end, but it can also die with plain text ("Error: MultipartUploadError(...)") or with no
/// output at all, so the answer is read defensively and never assumed to be JSON.
/// </summary>
public sealed partial record NotaryResponse(string? Id, string? Status, string? Message, int ExitCode, string Output)
{
    public const string Accepted = "Accepted";
    public const string Invalid = "Invalid";
    public const string Rejected = "Rejected";

    public bool IsFinal => Status is Accepted or Invalid or Rejected;

    /// <summary>The error text to show when there is no usable answer: the tool's own words, or that it said nothing.</summary>
    public string Problem => string.IsNullOrWhiteSpace(Output)
        ? $"notarytool exited with {ExitCode} and printed nothing"
        : Message ?? Output.Trim();

    public static NotaryResponse Parse(int exitCode, string standardOutput, string standardError)
    {
        var output = (standardOutput + "\n" + standardError).Trim();
        if (TryParseObject(standardOutput) is { } json)
        {
            return new NotaryResponse(
                Text(json, "id") is { } id && Uuid().IsMatch(id) ? id : null,
                Text(json, "status"),
                Text(json, "message"),
                exitCode,
                output);
        }

        // Not JSON: an id may still be in the text ("id: 2efe2717-..."), and once there is an id
        // the upload happened, so it must be waited on, not uploaded again.
        var idInText = IdInText().Match(output);
        return new NotaryResponse(idInText.Success ? idInText.Groups["id"].Value : null, null, null, exitCode, output);
    }

    /// <summary>The last JSON object in the text, tolerating log lines before it.</summary>
    internal static JsonElement? TryParseObject(string text)
    {
        for (var start = text.LastIndexOf("\n{", StringComparison.Ordinal); ; start = text.LastIndexOf("\n{", start - 1, StringComparison.Ordinal))
        {
            var candidate = start < 0 ? text : text[(start + 1)..];
            try
            {
                using var document = JsonDocument.Parse(candidate.Trim());
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                    return document.RootElement.Clone();
            }
            catch (JsonException)
            {
            }

            if (start <= 0)
                return null;
        }
    }

    internal static string? Text(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    internal static partial Regex Uuid();

    [GeneratedRegex(@"\bid:\s*(?<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")]
    private static partial Regex IdInText();
}
