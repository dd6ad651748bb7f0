namespace ReleaseKit.Tooling;

/// <summary>Xcode's xcrun(1), for notarytool: its JSON answers are the caller's to read, so failures are returned.</summary>
public sealed class Xcrun(ToolRunner runner)
{
    public static ExternalTool Tool { get; } = new("xcrun", "install the Xcode command line tools: xcode-select --install");

    /// <summary>xcrun notarytool ARGUMENTS; <paramref name="secret"/> never reaches the log.</summary>
    public Task<ToolResult> NotarytoolAsync(IReadOnlyList<string> arguments, string? secret, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(Tool.Name, ["notarytool", .. arguments])
        {
            ThrowOnFailure = false,
            Secrets = secret is null ? [] : [secret],
            OutputLevel = Serilog.Events.LogEventLevel.Debug,
        }, cancellationToken);
}
