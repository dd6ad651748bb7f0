using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;
using Serilog.Events;

namespace ReleaseKit.Tests.Tooling;

public class ToolRunnerTests : IDisposable
{
    private readonly FakeTools _fakes = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _fakes.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Passes_each_argument_verbatim_without_a_shell()
    {
        _fakes.Add("codesign");
        string[] arguments = ["--sign", "Developer ID Application: Jane O'Neil (TEAM123)", "", "$HOME", "a;b|c", "ü ✓", "*"];

        await _fakes.Runner().RunAsync(new ToolCommand("codesign", arguments));

        _fakes.Calls("codesign").Should().ContainSingle().Which.Should().Equal(arguments);
    }

    [Fact]
    public async Task Children_start_without_the_secret_variables_and_values_of_this_process()
    {
        _fakes.AddScript("pip", "env");
        var masker = new SecretMasker();
        masker.Register("derived-secret-value");
        var runner = new ToolRunner(masker, _fakes.SearchPath)
        {
            ParentEnvironment = new Dictionary<string, string>
            {
                ["APPLE_APP_SPECIFIC_PASSWORD"] = "abcd-efgh", ["NOTARY_KEY"] = "-----BEGIN PRIVATE KEY-----", ["MACOS_CERT_P12"] = "MIIC",
                ["MACOS_CERT_PASSWORD"] = "pw", ["R2_SECRET_ACCESS_KEY"] = "r2", ["nuke_r2_secret_access_key"] = "r2", ["AppleAppSpecificPassword"] = "x",
                ["SOME_TOKEN"] = "derived-secret-value", ["HOME"] = "/root",
            },
        };
        using var environment = new TemporaryEnvironment(runner.ParentEnvironment);

        var result = await runner.RunAsync(new ToolCommand("pip") { Environment = new Dictionary<string, string?> { ["NEEDED"] = "given" } });

        var names = result.StandardOutput.Split('\n').Select(x => x.Split('=')[0]).ToHashSet();
        names.Should().NotContain(["APPLE_APP_SPECIFIC_PASSWORD", "NOTARY_KEY", "MACOS_CERT_P12", "MACOS_CERT_PASSWORD", "R2_SECRET_ACCESS_KEY", "nuke_r2_secret_access_key", "AppleAppSpecificPassword", "SOME_TOKEN"]);
        names.Should().Contain(["HOME", "NEEDED"]);
    }

    /// <summary>Puts variables into this process for one test, as a workflow would, and takes them out again.</summary>
    private sealed class TemporaryEnvironment : IDisposable
    {
        private readonly string[] _added;

        public TemporaryEnvironment(IReadOnlyDictionary<string, string> variables)
        {
            _added = variables.Keys.Where(x => Environment.GetEnvironmentVariable(x) is null).ToArray();
            foreach (var name in _added)
                Environment.SetEnvironmentVariable(name, variables[name]);
        }

        public void Dispose()
        {
            foreach (var name in _added)
                Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task Tool_output_is_masked_before_any_caller_sees_it()
    {
        _fakes.Add("notarytool", stdout: "{\"message\": \"bad --password hunter22 given\"}\n", stderr: "echo: --password hunter22\n", exitCode: 1);
        var masker = new SecretMasker();
        masker.Register("hunter22");

        var result = await _fakes.Runner(masker).RunAsync(new ToolCommand("notarytool") { ThrowOnFailure = false });
        var failure = () => _fakes.Runner(masker).RunAsync(new ToolCommand("notarytool"));

        result.StandardOutput.Should().NotContain("hunter22").And.Contain("***");
        result.StandardError.Should().NotContain("hunter22");
        (await failure.Should().ThrowAsync<ToolFailedException>()).Which.Message.Should().NotContain("hunter22");
    }

    [Fact]
    public async Task Records_a_call_without_arguments()
    {
        _fakes.Add("xattr");

        await _fakes.Runner().RunAsync(new ToolCommand("xattr"));

        _fakes.Calls("xattr").Should().ContainSingle().Which.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(255)]
    public async Task Returns_exit_code_and_both_streams_when_failure_is_allowed(int exitCode)
    {
        _fakes.Add("spctl", stdout: "out line\n", stderr: "err line\n", exitCode: exitCode);

        var result = await _fakes.Runner().RunAsync(new ToolCommand("spctl", "-a") { ThrowOnFailure = false });

        result.ExitCode.Should().Be(exitCode);
        result.StandardOutput.Should().Be("out line\n");
        result.StandardError.Should().Be("err line\n");
        result.Succeeded.Should().Be(exitCode == 0);
    }

    [Fact]
    public async Task Fails_with_the_tools_own_stderr_and_exit_code()
    {
        _fakes.Add("codesign", stderr: "/tmp/x.so: errSecInternalComponent\n", exitCode: 1);

        var act = () => _fakes.Runner().RunAsync(new ToolCommand("codesign", "--force", "/tmp/x.so"));

        var failure = (await act.Should().ThrowAsync<ToolFailedException>()).Which;
        failure.ExitCode.Should().Be(1);
        failure.Tool.Should().Be("codesign");
        failure.Message.Should().Contain("exit code 1").And.Contain("errSecInternalComponent").And.Contain("codesign --force /tmp/x.so");
    }

    [Fact]
    public async Task Uses_stdout_in_the_error_when_the_tool_reports_failures_there()
    {
        _fakes.Add("xcrun", stdout: "Error: HTTP status code: 401. Unable to authenticate.\n", exitCode: 69);

        var act = () => _fakes.Runner().RunAsync(new ToolCommand("xcrun", "notarytool", "history"));

        (await act.Should().ThrowAsync<ToolFailedException>()).Which.Message.Should().Contain("HTTP status code: 401");
    }

    [Fact]
    public async Task Masks_secrets_in_the_logged_command_the_streamed_output_and_the_error()
    {
        const string password = "abcd-efgh-ijkl-mnop";
        const string perCall = "keychain-pw-9f3a";
        var masker = new SecretMasker();
        masker.Register(password);
        _fakes.AddScript("xcrun", """echo "using $4 and $6"; echo "bad password $4" >&2; exit 1""");
        using var log = LogCapture.Start();

        var act = () => _fakes.Runner(masker).RunAsync(new ToolCommand("xcrun", "notarytool", "submit", "--password", password, "--keychain-password", perCall)
        {
            Secrets = [perCall],
            OutputLevel = LogEventLevel.Information,
        });

        var failure = (await act.Should().ThrowAsync<ToolFailedException>()).Which;
        failure.Message.Should().NotContain(password).And.NotContain(perCall).And.Contain("bad password ***");
        log.Messages.Should().Contain(x => x.Contains("--password *** --keychain-password ***"));
        log.Messages.Should().Contain(x => x.Contains("using *** and ***"));
        log.Text.Should().NotContain(password).And.NotContain(perCall);
    }

    [Fact]
    public async Task Streams_each_output_line_to_the_log_while_the_tool_is_still_running()
    {
        var gate = _temp["gate"];
        System.Diagnostics.Process.Start("mkfifo", [gate]).WaitForExit();
        _fakes.AddScript("ditto", $"""
            echo "first line"
            read -r word < '{gate}'
            echo "second line after $word"
            """);
        using var log = LogCapture.Start();

        var run = _fakes.Runner().RunAsync(new ToolCommand("ditto") { OutputLevel = LogEventLevel.Information });
        await log.WaitForMessage("first line").WaitAsync(TimeSpan.FromSeconds(30));

        run.IsCompleted.Should().BeFalse("the tool blocks on the gate, so the first line arrived while it ran");
        await File.WriteAllTextAsync(gate, "go\n");
        (await run).StandardOutput.Should().Be("first line\nsecond line after go\n");
    }

    [Fact]
    public async Task Cancellation_interrupts_the_tool_with_SIGINT_so_it_can_clean_up()
    {
        var marker = _temp["cleaned-up"];
        _fakes.AddScript("notarytool", $"""
            trap 'kill $child; echo interrupted > "{marker}"; exit 130' INT
            sleep 600 & child=$!
            echo ready
            wait $child
            """);
        using var log = LogCapture.Start();
        using var cancellation = new CancellationTokenSource();

        var run = _fakes.Runner().RunAsync(new ToolCommand("notarytool") { OutputLevel = LogEventLevel.Information }, cancellation.Token);
        await log.WaitForMessage("ready").WaitAsync(TimeSpan.FromSeconds(30));
        await cancellation.CancelAsync();

        await run.Invoking(x => x).Should().ThrowAsync<OperationCanceledException>().WithMessage("*notarytool was interrupted*");
        File.ReadAllText(marker).Should().Be("interrupted\n");
        log.Events.Should().Contain(x => x.Level == LogEventLevel.Warning && x.RenderMessage().Contains("Interrupted"));
    }

    [Fact]
    public async Task Cancellation_kills_a_tool_that_ignores_SIGINT_after_the_grace_period()
    {
        var pidFile = _temp["pid"];
        _fakes.AddScript("codesign", $"""
            trap '' INT
            echo $$ > "{pidFile}"
            echo ready
            while true; do sleep 600 & wait $!; done
            """);
        using var log = LogCapture.Start();
        using var cancellation = new CancellationTokenSource();
        var runner = new ToolRunner(new SecretMasker(), _fakes.SearchPath) { InterruptGracePeriod = TimeSpan.FromMilliseconds(200) };

        var run = runner.RunAsync(new ToolCommand("codesign") { OutputLevel = LogEventLevel.Information }, cancellation.Token);
        await log.WaitForMessage("ready").WaitAsync(TimeSpan.FromSeconds(30));
        await cancellation.CancelAsync();

        await run.Invoking(x => x).Should().ThrowAsync<OperationCanceledException>();
        var pid = int.Parse(File.ReadAllText(pidFile));
        IsRunning(pid).Should().BeFalse("the tool must not outlive a cancelled step");
    }

    [Fact]
    public async Task Does_not_start_a_tool_when_already_cancelled()
    {
        _fakes.Add("ditto");

        var act = () => _fakes.Runner().RunAsync(new ToolCommand("ditto"), new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        _fakes.Calls("ditto").Should().BeEmpty();
    }

    [Fact]
    public async Task Names_the_missing_tool_and_how_to_get_it()
    {
        var runner = new ToolRunner(new SecretMasker(), searchPath: _temp.Path);

        var act = () => runner.RunAsync(new ToolCommand("codesign", "--verify", "x"));

        (await act.Should().ThrowAsync<ToolNotFoundException>()).Which.Message
            .Should().Contain("codesign was not found on PATH").And.Contain("macOS");
    }

    [Fact]
    public async Task Ignores_a_file_on_PATH_that_is_not_executable()
    {
        File.WriteAllText(Path.Combine(_fakes.BinDirectory, "security"), "#!/bin/sh\n");
        var runner = new ToolRunner(new SecretMasker(), searchPath: _fakes.BinDirectory);

        var act = () => runner.RunAsync(new ToolCommand("security", "list-keychains"));

        await act.Should().ThrowAsync<ToolNotFoundException>();
    }

    [Fact]
    public async Task Hands_standard_input_to_the_tool_instead_of_argv()
    {
        _fakes.AddScript("security", """echo "read: $(cat)" """);

        var result = await _fakes.Runner().RunAsync(new ToolCommand("security", "import") { StandardInput = "s3cret" });

        result.StandardOutput.Should().Be("read: s3cret\n");
        _fakes.Calls("security").Single().Should().Equal("import");
    }

    [Fact]
    public async Task Sets_and_removes_environment_variables_for_the_tool_only()
    {
        _fakes.AddScript("pyinstaller", """echo "A=${RK_ADDED-unset} H=${HOME-unset}" """);

        var result = await _fakes.Runner().RunAsync(new ToolCommand("pyinstaller")
        {
            Environment = new Dictionary<string, string?> { ["RK_ADDED"] = "yes", ["HOME"] = null },
        });

        result.StandardOutput.Should().Be("A=yes H=unset\n");
        Environment.GetEnvironmentVariable("RK_ADDED").Should().BeNull();
    }

    [Fact]
    public async Task Runs_in_the_given_working_directory()
    {
        _fakes.AddScript("ditto", "pwd");

        var result = await _fakes.Runner().RunAsync(new ToolCommand("ditto") { WorkingDirectory = _temp.Path });

        result.StandardOutput.Trim().Should().Be(_temp.Path);
    }

    [Fact]
    public async Task Gives_the_tool_the_same_PATH_it_was_found_on()
    {
        _fakes.Add("codesign", stdout: "fake codesign\n");
        _fakes.AddScript("xcrun", """codesign""");

        var result = await _fakes.Runner().RunAsync(new ToolCommand("xcrun"));

        result.StandardOutput.Should().Be("fake codesign\n");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
