using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Host;

/// <summary>
/// A copy of this repository as it would be committed (tracked and new files, nothing ignored),
/// made into a git repository of its own, where the real NUKE host is built and run with
/// `./build.sh`, exactly as a release engineer runs it. git then tells whether a run changed a
/// tracked file. Built once per test run; the host tests share it and run one at a time.
/// </summary>
public sealed partial class HostCheckout : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("host");

    public string Root => _directory["checkout"];

    public async Task InitializeAsync()
    {
        var files = Git(ProjectRoot.Path, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(x => File.Exists(Path.Combine(ProjectRoot.Path, x)));
        foreach (var file in files)
        {
            var target = Path.Combine(Root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(ProjectRoot.Path, file), target);
        }

        Git(Root, "init", "-q");
        Git(Root, "add", "-A");
        Git(Root, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "checkout");

        var build = await RunScriptAsync(["--help", "--no-logo"]);
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"./build.sh --help failed ({build.ExitCode}):\n{build.Output}");
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Tracked files a run changed or added, as `git status --porcelain` lists them.</summary>
    public string[] ChangedFiles() =>
        Git(Root, "status", "--porcelain", "--untracked-files=all").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Runs the host with ARGS as `./build.sh ARGS` does after its build step (`dotnet run --no-build`),
    /// with the given environment on top of a clean one: the host is built once per test run, by
    /// the `./build.sh --help` of <see cref="InitializeAsync"/>.
    /// </summary>
    public Task<HostRun> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        StartAsync("dotnet", ["run", "--project", Path.Combine(Root, "build", "_build.csproj"), "--no-build", "--", .. arguments], environment);

    /// <summary>Runs `./build.sh ARGS` whole, build step included, as a user types it.</summary>
    public Task<HostRun> RunScriptAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        StartAsync(Path.Combine(Root, "build.sh"), arguments, environment);

    /// <summary>Runs a workflow's `run:` line as GitHub does: a bash script, from the checkout's root.</summary>
    public Task<HostRun> RunCommandAsync(string command, IReadOnlyDictionary<string, string?>? environment = null) =>
        StartAsync("bash", ["-e", "-c", command], environment);

    private async Task<HostRun> StartAsync(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        Clean(info.Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            info.Environment[name] = value;

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran for 5 minutes:\n{output}");
        }

        await Task.WhenAll(stdout, stderr);
        lock (output)
            // Redirected, NUKE pads its tables with no-break spaces.
            return new HostRun(process.ExitCode, Ansi().Replace(output.ToString(), "").Replace('\u00a0', ' '));
    }

    /// <summary>
    /// The test runner's environment minus anything that would bind a parameter of the build
    /// (a developer's SIGN_ID must not leak into a test), plus what every host run needs.
    /// </summary>
    private static void Clean(IDictionary<string, string?> environment)
    {
        var parameters = ParameterNames.Value;
        foreach (var name in environment.Keys.ToArray())
        {
            var key = new string(name.Where(char.IsLetterOrDigit).ToArray());
            if (parameters.Contains(key) || parameters.Contains("NUKE" + key) ||
                name is "CSC_NAME" or "SOURCE_DATE_EPOCH" or "GITHUB_ACTIONS" or "CI")
                environment.Remove(name);
        }

        // This machine's NuGet registry has no Nuke.*: restore from the NUKE packages in ../shared,
        // as .ci/run does, when they are there. A user's machine restores from nuget.org.
        var feed = Path.GetFullPath(Path.Combine(ProjectRoot.Path, "..", "shared", "nuke-feed"));
        if (!environment.ContainsKey("RestoreAdditionalProjectSources") && Directory.Exists(feed))
            environment["RestoreAdditionalProjectSources"] = feed;
        // Tests reach no network beyond 127.0.0.1: NUKE's telemetry stays off.
        environment["NUKE_TELEMETRY_OPTOUT"] = "1";
    }

    private static readonly Lazy<HashSet<string>> ParameterNames = new(() =>
    {
        using var schema = System.Text.Json.JsonDocument.Parse(ProjectRoot.Read(".nuke/build.schema.json"));
        return schema.RootElement.GetProperty("allOf").EnumerateArray()
            .Append(schema.RootElement.GetProperty("definitions").GetProperty("NukeBuild"))
            .SelectMany(x => x.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : [])
            .Select(x => new string(x.Name.Where(char.IsLetterOrDigit).ToArray()))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    });

    private static async Task PumpAsync(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
                output.Append(line).Append('\n');
        }
    }

    private static string Git(string directory, params string[] arguments) => Shell.RunIn(directory, "git", arguments);

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Ansi();
}

/// <summary>What one host run printed (stdout and stderr, colours removed) and how it exited.</summary>
public sealed partial record HostRun(int ExitCode, string Output)
{
    /// <summary>NUKE's closing table: every target of the plan and its status (Succeeded, Failed, Skipped, NotRun).</summary>
    public IReadOnlyDictionary<string, string> Targets =>
        TargetRow().Matches(Output).ToDictionary(x => x.Groups["target"].Value, x => x.Groups["status"].Value);

    [GeneratedRegex(@"^(?<target>[A-Z]\w+) +(?<status>Succeeded|Failed|Skipped|NotRun|Aborted|Collective)\b", RegexOptions.Multiline)]
    private static partial Regex TargetRow();
}

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<HostCheckout>, ICollectionFixture<EndToEnd.EndToEndFixture>
{
    public const string Name = "host";
}
