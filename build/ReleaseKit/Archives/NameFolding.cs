using System.Text;

namespace ReleaseKit.Archives;

/// <summary>
/// Names as a case- and normalization-insensitive volume sees them: the default on macOS, where
/// "AB" and "ab", or "é" composed and decomposed, are one file. An archive may not use two such
/// spellings there, or an entry could be written through a link the checks saw under another name.
/// </summary>
internal static class NameFolding
{
    public static StringComparer Comparer { get; } = new FoldingComparer();

    public static string Fold(string name) => name.Normalize(NormalizationForm.FormD).ToUpperInvariant();

    /// <summary>Asks the volume itself: creates a file under one spelling and looks for it under another.</summary>
    public static bool Probe(string directory)
    {
        var composed = "fold-probe-\u00e9".Normalize(NormalizationForm.FormC);
        var probe = Path.Combine(directory, $".{composed}-{Environment.ProcessId}");
        File.WriteAllBytes(probe, []);
        try
        {
            var upper = Path.Combine(directory, $".{composed.ToUpperInvariant()}-{Environment.ProcessId}");
            var decomposed = Path.Combine(directory, $".{composed.Normalize(NormalizationForm.FormD)}-{Environment.ProcessId}");
            return File.Exists(upper) || File.Exists(decomposed);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    private sealed class FoldingComparer : StringComparer
    {
        public override int Compare(string? x, string? y) =>
            string.CompareOrdinal(x is null ? null : Fold(x), y is null ? null : Fold(y));

        public override bool Equals(string? x, string? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && string.Equals(Fold(x), Fold(y), StringComparison.Ordinal));

        public override int GetHashCode(string obj) => Fold(obj).GetHashCode(StringComparison.Ordinal);
    }
}
