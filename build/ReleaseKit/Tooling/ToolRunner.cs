using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CliWrap;
using Serilog;

namespace ReleaseKit.Tooling;

/// <summary>
/// Runs every external tool the release uses: logs the command with secrets masked, streams
/// its output, and turns a non-zero exit into an error that carries the tool's own stderr.
/// </summary>
public sealed class ToolRunner
{
    private readonly SecretMasker _masker;
    private readonly string? _searchPath;

    /// <param name="masker">Secrets to mask; defaults to <see cref="SecretMasker.Shared"/>.</param>
    /// <param name="searchPath">PATH used to find tools and passed on to them; defaults to this process's PATH.</param>
    public ToolRunner(SecretMasker? masker = null, string? searchPath = null)
    {
        _masker = masker ?? SecretMasker.Shared;
        _searchPath = searchPath;
    }

    /// <summary>How long a tool gets to exit after SIGINT before it is killed.</summary>
    public TimeSpan InterruptGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    public ToolLocator Locator => _searchPath is null ? ToolLocator.FromEnvironment() : new ToolLocator(_searchPath);

    public SecretMasker Masker => _masker;

    public async Task<ToolResult> RunAsync(ToolCommand command, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();

        var executable = Locator.Find(command.Tool);
        var name = Path.GetFileName(command.Tool);
        string Mask(string text) => _masker.Apply(text, command.Secrets);

        var commandLine = Mask(CommandLine.Format(command.Tool, command.Arguments));
        Log.Information("> {CommandLine:l}", commandLine);

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();

        var cli = Cli.Wrap(executable)
            .WithArguments(command.Arguments)
            .WithEnvironmentVariables(ChildEnvironment(command))
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Record(stdout, line)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Record(stderr, line)));

        if (command.WorkingDirectory is not null)
            cli = cli.WithWorkingDirectory(command.WorkingDirectory);

        if (command.StandardInput is not null)
            cli = cli.WithStandardInputPipe(PipeSource.FromString(command.StandardInput));

        // A Ctrl-C (or any cancellation) first asks the tool to stop with SIGINT, like a terminal
        // would; if it is still alive after the grace period, it and its children are killed.
        using var forceful = new CancellationTokenSource();
        await using var escalation = cancellationToken.Register(() => forceful.CancelAfter(InterruptGracePeriod));

        int exitCode;
        try
        {
            exitCode = (await cli.ExecuteAsync(forceful.Token, cancellationToken)).ExitCode;
        }
        catch (OperationCanceledException)
        {
            Log.Warning("Interrupted {Tool} after {Elapsed:0.0}s", name, stopwatch.Elapsed.TotalSeconds);
            throw new OperationCanceledException($"{name} was interrupted", cancellationToken);
        }
        catch (Win32Exception exception)
        {
            throw new ReleaseException($"{name} could not be started ({executable}): {exception.InnerException?.Message ?? exception.Message}", exception);
        }

        // Masked here, so no caller can put a secret from a tool's output into a warning or an error.
        var result = new ToolResult(commandLine, exitCode, Mask(stdout.ToString()), Mask(stderr.ToString()), stopwatch.Elapsed);
        Log.Debug("{Tool} exited with {ExitCode} after {Elapsed:0.00}s", name, exitCode, result.Duration.TotalSeconds);

        if (exitCode != 0 && command.ThrowOnFailure)
            throw new ToolFailedException(name, commandLine, exitCode, result.StandardError, result.StandardOutput);

        return result;

        void Record(StringBuilder buffer, string line)
        {
            lock (buffer)
                buffer.Append(line).Append('\n');
            Log.Write(command.OutputLevel, "{Tool:l}: {Line:l}", name, Mask(line));
        }
    }

    /// <summary>The environment this process passes on; tests give their own.</summary>
    public IReadOnlyDictionary<string, string> ParentEnvironment { get; init; } = CurrentEnvironment();

    /// <summary>
    /// What a tool adds to or removes from the inherited environment. Secrets the workflow put into
    /// this process's environment are removed, so pip (which runs third-party build code) and every
    /// other tool start without them; a tool that needs one gets it through its command.
    /// </summary>
    private Dictionary<string, string?> ChildEnvironment(ToolCommand command)
    {
        var environment = new Dictionary<string, string?>(command.Environment, StringComparer.Ordinal);
        if (_searchPath is not null)
            environment.TryAdd("PATH", _searchPath);
        var secrets = _masker.Secrets;
        foreach (var (name, value) in ParentEnvironment)
        {
            if (SecretVariables.IsSecret(name) || secrets.Contains(value))
                environment.TryAdd(name, null);
        }

        return environment;
    }

    private static Dictionary<string, string> CurrentEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(x => (string)x.Key, x => (string?)x.Value ?? "", StringComparer.Ordinal);
}
