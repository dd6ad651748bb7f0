namespace ReleaseKit.Tooling;

/// <summary>macOS's ditto(1), the archiver Apple documents for notarization uploads: it keeps symlinks, modes and extended attributes.</summary>
public sealed class Ditto(ToolRunner runner)
{
    public static ExternalTool Tool { get; } = ExternalTool.OfMacOs("ditto");

    /// <summary>ditto -c -k --keepParent: a zip of the folder, the folder itself at its top.</summary>
    public Task ZipAsync(string folder, string archive, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(Tool.Name, "-c", "-k", "--keepParent", folder, archive), cancellationToken);
}
