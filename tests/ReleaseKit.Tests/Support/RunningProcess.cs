using System.Diagnostics;

namespace ReleaseKit.Tests.Support;

/// <summary>
/// A child process whose stdout lines can be awaited one by one, so a test acts exactly when the
/// child says it is ready instead of sleeping. Killed on dispose if still running.
/// </summary>
public sealed class RunningProcess : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(string Text, TaskCompletionSource Signal)> _waiters = [];
    private readonly System.Text.StringBuilder _stderr = new();

    private RunningProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (_stderr)
                    _stderr.AppendLine(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return _lines.ToArray();
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    public static RunningProcess Start(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(executable, arguments)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                info.Environment.Remove(name);
            else
                info.Environment[name] = value;
        }

        return new RunningProcess(Process.Start(info)!);
    }

    public Task WaitForLine(string text)
    {
        lock (_lines)
        {
            if (_lines.Contains(text))
                return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, signal));
            return signal.Task.WaitAsync(Patience);
        }
    }

    public void CloseInput() => _process.StandardInput.Close();

    public async Task<int> WaitForExit()
    {
        await _process.WaitForExitAsync().WaitAsync(Patience);
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(x => x.Text == line).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult();
            }
        }
    }
}
