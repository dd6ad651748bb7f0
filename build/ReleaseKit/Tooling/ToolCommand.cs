using Serilog.Events;

namespace ReleaseKit.Tooling;

/// <summary>
/// One invocation of an external tool. Arguments are a list, never a shell string,
/// so paths with spaces or quotes reach the tool unchanged.
/// </summary>
public sealed record ToolCommand(string Tool, IReadOnlyList<string> Arguments)
{
    public ToolCommand(string tool, params string[] arguments) : this(tool, (IReadOnlyList<string>)arguments) { }

    public string? WorkingDirectory { get; init; }

    /// <summary>Variables added to (or, with a null value, removed from) the child's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Written to the tool's stdin and then closed: the way to hand over a secret without putting it in argv.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Values that must never appear in a log line or an error, in addition to the runner's registered secrets.</summary>
    public IReadOnlyCollection<string> Secrets { get; init; } = [];

    /// <summary>When false, a non-zero exit is returned to the caller instead of thrown.</summary>
    public bool ThrowOnFailure { get; init; } = true;

    /// <summary>Level at which each line of the tool's output is streamed to the log.</summary>
    public LogEventLevel OutputLevel { get; init; } = LogEventLevel.Debug;
}
