namespace ReleaseKit.Tooling;

/// <summary>pip, always as `python -m pip` of one interpreter, so it installs for that python and no other.</summary>
public sealed class Pip(ToolRunner runner, string interpreter)
{
    /// <summary>The interpreter pip runs under, as the settings check looks for it.</summary>
    public static ExternalTool Tool(string interpreter) =>
        new(interpreter, "install Python 3 with pip (python3 and python3-pip on Debian), or put one first on PATH");

    public Task InstallAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) => Run("install", arguments, cancellationToken);

    public Task WheelAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) => Run("wheel", arguments, cancellationToken);

    public Task DownloadAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) => Run("download", arguments, cancellationToken);

    // The version check would reach PyPI even with --no-index, and its warning is noise in a release log.
    private Task Run(string verb, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(interpreter, ["-m", "pip", "--disable-pip-version-check", verb, .. arguments]), cancellationToken);
}
