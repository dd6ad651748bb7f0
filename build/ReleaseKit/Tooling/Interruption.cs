using System.Runtime.InteropServices;
using Serilog;

namespace ReleaseKit.Tooling;

/// <summary>
/// Turns the first Ctrl-C or SIGTERM into a cancellation, so the running tool is stopped and the
/// stage cleans up (temp files, half-written artifacts, keychains) instead of the process vanishing.
/// A second signal is left to the default handler and ends the process at once.
/// </summary>
public static class Interruption
{
    private static readonly CancellationTokenSource Source = new();
    private static readonly Lock Gate = new();
    private static List<PosixSignalRegistration>? _registrations;

    public static CancellationToken Token
    {
        get
        {
            Install();
            return Source.Token;
        }
    }

    private static void Install()
    {
        lock (Gate)
        {
            if (_registrations is not null)
                return;

            _registrations =
            [
                PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            ];
        }
    }

    private static void OnSignal(PosixSignalContext context)
    {
        if (Source.IsCancellationRequested)
            return;

        context.Cancel = true;
        Log.Warning("Received {Signal}: stopping the running step and cleaning up (send it again to abort at once)", context.Signal);
        Source.Cancel();
    }
}
