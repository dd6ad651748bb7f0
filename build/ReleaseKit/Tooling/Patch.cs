namespace ReleaseKit.Tooling;

/// <summary>patch(1), for the --app-patches applied to the copy of the app's source.</summary>
public sealed class Patch(ToolRunner runner)
{
    public static ExternalTool Tool { get; } = new("patch", "install patch: it ships with Xcode's command line tools (xcode-select --install), apt-get install patch on Debian");

    /// <summary>
    /// patch -p1 into the folder. --batch and --forward: never ask, and refuse a patch that is
    /// already applied instead of reversing it; no .orig files are left in what ships.
    /// </summary>
    public Task ApplyAsync(string folder, string patchFile, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(Tool.Name, "-p1", "--batch", "--forward", "--no-backup-if-mismatch", "-d", folder, "-i", Path.GetFullPath(patchFile)), cancellationToken);
}
