namespace ReleaseKit.Tooling;

/// <summary>The pyinstaller a build virtualenv installed; the caller builds its exact arguments from the bundle it wants.</summary>
public sealed class PyInstaller(ToolRunner runner, string path)
{
    public Task BuildAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(path, arguments), cancellationToken);
}
