using ReleaseKit.Tooling;

namespace ReleaseKit.Notarization;

/// <summary>
/// artifacts/notarization-&lt;version&gt;.json: written the moment Apple returns a submission id, so an
/// interrupted or timed-out run can wait on the same submission (--notary-submission-id) instead
/// of uploading again, and updated with the verdict.
/// </summary>
public sealed record SubmissionRecord(string Id, string Version, string BundleFingerprint, DateTimeOffset Submitted, string Status, string? StatusSummary = null)
{
    public static string PathFor(string artifactsDirectory, string version) => Path.Combine(artifactsDirectory, $"notarization-{version}.json");

    public static SubmissionRecord? Read(string path) => JsonFile.Read<SubmissionRecord>(path);

    public void Write(string path) => JsonFile.Write(path, this);
}
