using ReleaseKit.Tooling;

namespace ReleaseKit.Settings;

/// <summary>Every missing or invalid setting of a run, reported together before any long stage starts.</summary>
public sealed class SettingsException(IReadOnlyList<string> problems)
    : ReleaseException(Describe(problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    private static string Describe(IReadOnlyList<string> problems)
    {
        var lines = problems.Select(x => "  - " + x);
        return $"The release settings have {problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}
