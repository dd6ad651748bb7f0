namespace ReleaseKit.Tooling;

/// <summary>macOS's spctl(8): Gatekeeper's verdict, printed on stderr. A rejection is a result, not an error.</summary>
public sealed class Spctl(ToolRunner runner)
{
    public static ExternalTool Tool { get; } = ExternalTool.OfMacOs("spctl");

    /// <summary>spctl -a -t install -vv: would Gatekeeper let this download be opened (the check that fits a command-line binary)?</summary>
    public Task<ToolResult> AssessInstallAsync(string path, CancellationToken cancellationToken) => Assess("install", path, cancellationToken);

    /// <summary>spctl -a -t exec -vv: the check for an app bundle; a bare executable fails it even when notarized.</summary>
    public Task<ToolResult> AssessExecAsync(string path, CancellationToken cancellationToken) => Assess("exec", path, cancellationToken);

    private Task<ToolResult> Assess(string type, string path, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(Tool.Name, "-a", "-t", type, "-vv", path) { ThrowOnFailure = false }, cancellationToken);
}
