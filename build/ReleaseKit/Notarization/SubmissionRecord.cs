using System.Text.Json;

namespace ReleaseKit.Notarization;

/// <summary>
/// artifacts/notarization-&lt;version&gt;.json: written the moment Apple returns a submission id, so an
/// interrupted or timed-out run can wait on the same submission (--notary-submission-id) instead
/// of uploading again, and updated with the verdict.
/// </summary>
public sealed record SubmissionRecord(string Id, string Version, string BundleFingerprint, DateTimeOffset Submitted, string Status, string? StatusSummary = null)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string PathFor(string artifactsDirectory, string version) => Path.Combine(artifactsDirectory, $"notarization-{version}.json");

    public static SubmissionRecord? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<SubmissionRecord>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
