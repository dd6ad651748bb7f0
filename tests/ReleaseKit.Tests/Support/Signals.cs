using System.Runtime.InteropServices;

namespace ReleaseKit.Tests.Support;

/// <summary>kill(2) for tests: .NET itself can only send SIGKILL (and SIGTERM via Process.Kill on some versions).</summary>
public static partial class Signals
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    public static string Name(int signal) => signal switch
    {
        SIGHUP => "SIGHUP",
        SIGINT => "SIGINT",
        SIGQUIT => "SIGQUIT",
        SIGKILL => "SIGKILL",
        SIGTERM => "SIGTERM",
        _ => $"signal {signal}",
    };

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {Name(signal)}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
