using ReleaseKit.Tooling;

namespace ReleaseKit.Settings;

/// <summary>
/// A stage's options as parsed once from the raw parameters: the typed value, or every problem
/// with them. Stages take the value with <see cref="Require"/>; the settings check gathers the
/// problems of every scheduled stage first, so a run rarely gets that far with a bad setting.
/// </summary>
public sealed class Parsed<T> where T : class
{
    private readonly T? _value;

    internal Parsed(T? value, IReadOnlyList<string> problems, IReadOnlyList<ExternalTool> tools)
    {
        _value = value;
        Problems = problems;
        Tools = tools;
    }

    public IReadOnlyList<string> Problems { get; }

    /// <summary>The programs the stage runs; the check looks for them on PATH even when the parameters have problems.</summary>
    public IReadOnlyList<ExternalTool> Tools { get; }

    /// <summary>The value, or null when there are problems (for what a stage can do without it, such as the SBOM's download URL).</summary>
    public T? ValueOrNull => _value;

    /// <summary>The value; for a caller that skipped the settings check, the problems as one error.</summary>
    public T Require() => _value ?? throw new SettingsException(Problems);
}

public static class Parsed
{
    public static Parsed<T> Valid<T>(T value, params IReadOnlyList<ExternalTool> tools) where T : class => new(value, [], tools);

    public static Parsed<T> Invalid<T>(IReadOnlyList<string> problems, params IReadOnlyList<ExternalTool> tools) where T : class =>
        problems.Count > 0 ? new(null, problems.ToArray(), tools) : throw new ArgumentException("An invalid setting needs a problem", nameof(problems));
}
