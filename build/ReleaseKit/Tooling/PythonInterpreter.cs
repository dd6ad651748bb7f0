namespace ReleaseKit.Tooling;

/// <summary>A python3 run for one of its standard modules (venv, compileall).</summary>
public sealed class PythonInterpreter(ToolRunner runner, string path)
{
    /// <summary>python -m venv: a virtual environment of this interpreter.</summary>
    public Task CreateVenvAsync(string folder, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(path, "-m", "venv", folder), cancellationToken);

    /// <summary>
    /// python -m compileall -q -j 0 with unchecked-hash .pyc files, recording each source under
    /// <paramref name="prefix"/> instead of <paramref name="stripped"/>.
    /// </summary>
    public Task CompileAllAsync(IReadOnlyList<string> folders, string stripped, string prefix, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(path, ["-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", "-s", stripped, "-p", prefix, .. folders]), cancellationToken);
}
