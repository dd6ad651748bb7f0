namespace ReleaseKit.Tooling;

/// <summary>macOS's xattr(1): the quarantine attribute Gatekeeper reads. Failures are returned, since callers only report them.</summary>
public sealed class Xattr(ToolRunner runner)
{
    public static ExternalTool Tool { get; } = ExternalTool.OfMacOs("xattr");

    public const string Quarantine = "com.apple.quarantine";

    /// <summary>xattr -dr: removes the attribute from the folder and everything under it.</summary>
    public Task<ToolResult> DeleteRecursiveAsync(string attribute, string path, CancellationToken cancellationToken) =>
        Run(["-dr", attribute, path], cancellationToken);

    /// <summary>xattr -lr: lists every attribute under the folder, one "path: name: value" line each.</summary>
    public Task<ToolResult> ListRecursiveAsync(string path, CancellationToken cancellationToken) =>
        Run(["-lr", path], cancellationToken);

    /// <summary>xattr -w: sets the attribute on one file.</summary>
    public Task<ToolResult> WriteAsync(string attribute, string value, string path, CancellationToken cancellationToken) =>
        Run(["-w", attribute, value, path], cancellationToken);

    private Task<ToolResult> Run(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(Tool.Name, arguments) { ThrowOnFailure = false }, cancellationToken);
}
