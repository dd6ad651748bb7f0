using ReleaseKit.Tooling;

namespace ReleaseKit;

/// <summary>What a Release produced, as the one-row table printed at its end.</summary>
public sealed record ReleaseSummary(
    string Version,
    string Variant,
    int SignedFiles,
    string Notarization,
    string Tarball,
    long? Size,
    string? Sha256,
    IReadOnlyList<string> Uploaded)
{
    /// <summary>Packages the licence policy asks a person to review (copyleft, or no licence declared).</summary>
    public IReadOnlyList<string> LicenseReview { get; init; } = [];

    /// <summary>The minisign key id the update is signed with; null for an unsigned update.</summary>
    public string? UpdateKeyId { get; init; }

    /// <summary>The release channel the upload moved to this version.</summary>
    public string? Channel { get; init; }

    public IReadOnlyList<(string Header, string Value)> Columns =>
    [
        ("version", Version),
        ("variant", Variant),
        ("signed", $"{SignedFiles} files"),
        ("notarization", Notarization),
        ("tarball", Tarball),
        ("size", Size is { } size ? ByteSize.Format(size) : "-"),
        ("sha256", Sha256 ?? "-"),
        ("uploaded", Uploaded.Count == 0 ? "not uploaded" : string.Join(", ", Uploaded)),
        ("licences", LicenseReview.Count == 0 ? "ok" : $"review {LicenseReview.Count}: {string.Join(", ", LicenseReview)}"),
        ("update", UpdateKeyId is null ? "unsigned update" : $"minisign {UpdateKeyId}"),
        ("channel", Channel ?? "-"),
    ];

    /// <summary>A header row and one value row, columns padded to line up.</summary>
    public string ToTable()
    {
        var widths = Columns.Select(x => Math.Max(x.Header.Length, x.Value.Length)).ToArray();
        string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells.Select((x, i) => x.PadRight(widths[i]))) + " |";
        return Row(Columns.Select(x => x.Header)) + Environment.NewLine + Row(Columns.Select(x => x.Value));
    }
}
