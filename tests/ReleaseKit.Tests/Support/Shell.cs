using System.Diagnostics;

namespace ReleaseKit.Tests.Support;

/// <summary>Runs a real command-line tool (GNU tar, zstd, gzip) for a test and fails loudly when it fails.</summary>
public static class Shell
{
    public static string Run(string tool, params string[] arguments) => RunIn(null, tool, arguments);

    public static string RunIn(string? directory, string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory ?? Environment.CurrentDirectory,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }
}
