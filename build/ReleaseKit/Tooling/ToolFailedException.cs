namespace ReleaseKit.Tooling;

/// <summary>A tool exited non-zero. The message carries its (masked) stderr, which usually names the cause.</summary>
public sealed class ToolFailedException : ReleaseException
{
    private const int MaxErrorLines = 40;

    public ToolFailedException(string tool, string commandLine, int exitCode, string standardError, string standardOutput)
        : base(Describe(tool, commandLine, exitCode, standardError, standardOutput))
    {
        Tool = tool;
        ExitCode = exitCode;
        StandardError = standardError;
    }

    public string Tool { get; }

    public int ExitCode { get; }

    public string StandardError { get; }

    private static string Describe(string tool, string commandLine, int exitCode, string standardError, string standardOutput)
    {
        // Some tools (notarytool, security) report their errors on stdout.
        var output = string.IsNullOrWhiteSpace(standardError) ? standardOutput : standardError;
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tail = lines.Length > MaxErrorLines ? lines[^MaxErrorLines..] : lines;
        var details = tail.Length == 0 ? "(no output)" : string.Join(System.Environment.NewLine + "  ", tail);
        return $"{tool} failed with exit code {exitCode}: {commandLine}{System.Environment.NewLine}  {details}";
    }
}
