using System.Runtime.CompilerServices;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace ReleaseKit.Tests.Support;

/// <summary>
/// Collects the library's Serilog events for the test that started it. The library logs through
/// the static Log (NUKE configures it in the real host); here one process-wide sink hands each
/// event to the capture of the async flow it came from, so tests running in parallel stay apart.
/// </summary>
public sealed class LogCapture : IDisposable
{
    private static readonly AsyncLocal<LogCapture?> Current = new();
    private readonly List<LogEvent> _events = [];
    private readonly List<(Func<LogEvent, bool> Predicate, TaskCompletionSource<LogEvent> Signal)> _waiters = [];
    private readonly List<(Func<LogEvent, bool> Predicate, Action Action)> _hooks = [];

    [ModuleInitializer]
    internal static void Install()
    {
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.Sink(new Dispatcher())
            .CreateLogger();
    }

    public static LogCapture Start()
    {
        var capture = new LogCapture();
        Current.Value = capture;
        return capture;
    }

    public IReadOnlyList<LogEvent> Events
    {
        get
        {
            lock (_events)
                return _events.ToArray();
        }
    }

    public IReadOnlyList<string> Messages => Events.Select(x => x.RenderMessage()).ToArray();

    public string Text => string.Join(Environment.NewLine, Messages);

    /// <summary>Completes when an event matching the predicate has been logged (or already was).</summary>
    public Task<LogEvent> WaitFor(Func<LogEvent, bool> predicate)
    {
        lock (_events)
        {
            var existing = _events.FirstOrDefault(predicate);
            if (existing is not null)
                return Task.FromResult(existing);

            var signal = new TaskCompletionSource<LogEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((predicate, signal));
            return signal.Task;
        }
    }

    /// <summary>Runs <paramref name="action"/> inside the log call of the first matching event, before the logging code goes on.</summary>
    public void OnMessage(string fragment, Action action)
    {
        lock (_events)
            _hooks.Add((x => x.RenderMessage().Contains(fragment, StringComparison.Ordinal), action));
    }

    public Task<LogEvent> WaitForMessage(string fragment) => WaitFor(x => x.RenderMessage().Contains(fragment, StringComparison.Ordinal));

    public void Dispose()
    {
        if (Current.Value == this)
            Current.Value = null;
    }

    private void Add(LogEvent logEvent)
    {
        lock (_events)
        {
            _events.Add(logEvent);
            foreach (var waiter in _waiters.Where(x => x.Predicate(logEvent)).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult(logEvent);
            }

            foreach (var hook in _hooks.Where(x => x.Predicate(logEvent)).ToArray())
            {
                _hooks.Remove(hook);
                hook.Action();
            }
        }
    }

    private sealed class Dispatcher : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => Current.Value?.Add(logEvent);
    }
}
