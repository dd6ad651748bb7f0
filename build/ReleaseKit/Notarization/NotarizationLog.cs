using System.Text.Json;

namespace ReleaseKit.Notarization;

public sealed record NotaryIssue(string Severity, string Path, string? Architecture, string Message, string? DocUrl);

/// <summary>
/// Apple's developer log of a submission (`notarytool log`): the verdict and every issue, with
/// paths turned from "archive.zip/bundle/python/lib/x.so" into the bundle-relative "python/lib/x.so"
/// the release engineer can find. Unknown or missing fields are tolerated: the format is Apple's.
/// </summary>
public sealed record NotarizationLog(string? Status, string? StatusSummary, int? StatusCode, IReadOnlyList<NotaryIssue> Issues, int TicketEntries)
{
    public IEnumerable<NotaryIssue> Errors => Issues.Where(x => x.Severity != "warning");

    public IEnumerable<NotaryIssue> Warnings => Issues.Where(x => x.Severity == "warning");

    public static NotarizationLog? TryParse(string? json, string bundleName)
    {
        if (json is null || NotaryResponse.TryParseObject(json) is not { } root)
            return null;

        var issues = new List<NotaryIssue>();
        if (root.TryGetProperty("issues", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var issue in list.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object))
            {
                issues.Add(new NotaryIssue(
                    NotaryResponse.Text(issue, "severity") ?? "error",
                    BundleRelative(NotaryResponse.Text(issue, "path") ?? "", bundleName),
                    NotaryResponse.Text(issue, "architecture"),
                    NotaryResponse.Text(issue, "message") ?? "(no message)",
                    NotaryResponse.Text(issue, "docUrl")));
            }
        }

        var tickets = root.TryGetProperty("ticketContents", out var ticket) && ticket.ValueKind == JsonValueKind.Array ? ticket.GetArrayLength() : 0;
        int? code = root.TryGetProperty("statusCode", out var statusCode) && statusCode.TryGetInt32(out var number) ? number : null;
        return new NotarizationLog(NotaryResponse.Text(root, "status"), NotaryResponse.Text(root, "statusSummary"), code, issues, tickets);
    }

    /// <summary>"msty-mlx-studio.zip/msty-mlx-studio/python/lib/x.so" → "python/lib/x.so"; anything else is kept as Apple wrote it.</summary>
    public static string BundleRelative(string path, string bundleName)
    {
        var parts = path.Split('/');
        var skip = parts.Length > 1 && parts[0].EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        if (parts.Length > skip + 1 && parts[skip] == bundleName)
            skip++;
        return string.Join('/', parts[skip..]);
    }
}
