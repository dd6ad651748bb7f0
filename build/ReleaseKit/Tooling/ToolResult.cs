namespace ReleaseKit.Tooling;

public sealed record ToolResult(
    string CommandLine,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;
}
