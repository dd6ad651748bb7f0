using System.Text.Json;
using ReleaseKit.Bundling;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Bundling;

[Trait("Category", TestTier.HostPython)]
public class LauncherTests(LauncherFixture fixture) : IClassFixture<LauncherFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static async Task<(int ExitCode, string Stdout, string Stderr)> Run(
        string launcher, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        using var process = RunningProcess.Start(launcher, arguments, environment, workingDirectory);
        process.CloseInput();
        var exitCode = await process.WaitForExit();
        return (exitCode, string.Join("\n", process.Lines), process.StandardError);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public async Task Runs_the_module_with_bundled_python_and_passes_arguments_unchanged()
    {
        var (exitCode, stdout, _) = await Run(fixture.Launcher, ["env", "two words", "", "--flag=x"]);

        exitCode.Should().Be(0);
        var report = Json(stdout);
        report.GetProperty("argv").EnumerateArray().Select(x => x.GetString()).Should().Equal("env", "two words", "", "--flag=x");
        report.GetProperty("prefix").GetString().Should().Be(Path.Combine(fixture.BundleRoot, "python"));
    }

    [Fact]
    public async Task Sets_the_environment_python_needs()
    {
        var (_, stdout, _) = await Run(fixture.Launcher, ["env"], new Dictionary<string, string?>
        {
            ["PYTHONPATH"] = "/existing/site",
            ["PYTHONPYCACHEPREFIX"] = "/tmp/elsewhere",
            ["PYTHONUNBUFFERED"] = "1",
            ["PYTHONNOUSERSITE"] = null,
            ["RESOURCES_PATH"] = null,
            ["MLXK2_SUPERVISE"] = "1",
        });

        var env = Json(stdout).GetProperty("env");
        string Get(string name) => env.GetProperty(name).GetString()!;
        Get("MLXK2_SUPERVISE").Should().Be("0");
        Get("PYTHONHOME").Should().Be(Path.Combine(fixture.BundleRoot, "python"));
        Get("PYTHONPATH").Should().Be(Path.Combine(fixture.BundleRoot, "_vendor"), "the caller's PYTHONPATH would come before the standard library");
        env.GetProperty("PYTHONPYCACHEPREFIX").ValueKind.Should().Be(JsonValueKind.Null, "it would load .pyc files from elsewhere");
        Get("PYTHONUNBUFFERED").Should().Be("1", "what only changes behaviour is passed on");
        Get("PYTHONNOUSERSITE").Should().Be("1");
        Get("PYTHONEXECUTABLE").Should().Be(fixture.Python);
        Get("MLXK_PYTHON").Should().Be(fixture.Python);
        Get("RESOURCES_PATH").Should().Be(fixture.BundleRoot);
        Get("PATH").Should().StartWith(Path.Combine(fixture.BundleRoot, "python", "bin") + ":");
    }

    [Fact]
    public async Task Keeps_PYTHONNOUSERSITE_and_RESOURCES_PATH_when_the_caller_set_them()
    {
        var resources = _temp.Path;
        await LauncherFixture.BuildBundle(resources);

        var (_, stdout, _) = await Run(fixture.Launcher, ["env"], new Dictionary<string, string?>
        {
            ["PYTHONNOUSERSITE"] = "0",
            ["RESOURCES_PATH"] = resources,
            ["PYTHONPATH"] = null,
        });

        var env = Json(stdout).GetProperty("env");
        env.GetProperty("PYTHONNOUSERSITE").GetString().Should().Be("0");
        env.GetProperty("RESOURCES_PATH").GetString().Should().Be(resources);
        env.GetProperty("MLXK_PYTHON").GetString().Should().Be(Path.Combine(resources, "python", "bin", "python3"), "$RESOURCES_PATH/python comes before the bundle's own");
        env.GetProperty("PYTHONPATH").GetString().Should().Be(Path.Combine(fixture.BundleRoot, "_vendor"));
    }

    /// <summary>The host's python3, and Python 3.10 (no -P there) when this machine has one: on PATH, in pyenv or in GitHub's tool cache.</summary>
    public static TheoryData<string> PythonGenerations()
    {
        var generations = new TheoryData<string> { "python3" };
        var candidates = new[] { "python3.10" }
            .Concat(Directory.Exists(Path.Combine(Environment.GetEnvironmentVariable("PYENV_ROOT") ?? "/root/.pyenv", "versions"))
                ? Directory.GetDirectories(Path.Combine(Environment.GetEnvironmentVariable("PYENV_ROOT") ?? "/root/.pyenv", "versions"), "3.10*").Select(x => Path.Combine(x, "bin", "python3.10"))
                : [])
            .Concat(Directory.Exists("/opt/hostedtoolcache/Python") ? Directory.GetDirectories("/opt/hostedtoolcache/Python", "3.10*").Select(x => Path.Combine(x, "x64", "bin", "python3.10")) : []);
        if (candidates.FirstOrDefault(Runs) is { } python310)
            generations.Add(python310);
        return generations;

        static bool Runs(string python)
        {
            try
            {
                using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(python, ["-c", "pass"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
                process.WaitForExit();
                return process.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }

    [Theory]
    [MemberData(nameof(PythonGenerations))]
    public async Task Never_imports_from_the_working_directory_or_the_callers_PYTHONPATH(string interpreter)
    {
        var bundle = _temp["bundle"];
        await LauncherFixture.BuildBundle(bundle, interpreter);
        File.Copy(fixture.Launcher, Path.Combine(bundle, "msty-mlx-studio"));
        File.SetUnixFileMode(Path.Combine(bundle, "msty-mlx-studio"), File.GetUnixFileMode(fixture.Launcher));
        // What a Downloads folder could hold: the app's own module and a standard-library one, each announcing itself.
        var hostile = _temp["downloads"];
        _temp.Write("downloads/mlxk2/__init__.py", "");
        _temp.Write("downloads/mlxk2/cli.py", "print('HIJACKED app'); raise SystemExit(99)\n");
        _temp.Write("downloads/json.py", "print('HIJACKED json'); raise SystemExit(98)\n");
        _temp.Write("on-pythonpath/json.py", "print('HIJACKED by PYTHONPATH'); raise SystemExit(97)\n");

        var (exitCode, stdout, stderr) = await Run(Path.Combine(bundle, "msty-mlx-studio"), ["env", "x"],
            new Dictionary<string, string?> { ["PYTHONPATH"] = _temp["on-pythonpath"] }, workingDirectory: hostile);

        exitCode.Should().Be(0, stderr);
        stdout.Should().NotContain("HIJACKED");
        var report = Json(stdout);
        report.GetProperty("json").GetString().Should().StartWith(Path.Combine(bundle, "python", "lib"));
        report.GetProperty("main").GetString().Should().Be("mlxk2.cli", "the module runs as python -m would run it");
        report.GetProperty("argv").EnumerateArray().Select(x => x.GetString()).Should().Equal("env", "x");
        var path = report.GetProperty("path").EnumerateArray().Select(x => x.GetString()).ToArray();
        path.Should().NotContain(["", hostile, _temp["on-pythonpath"]]).And.StartWith(Path.Combine(bundle, "_vendor"));
        if (interpreter != "python3")
            report.GetProperty("version").EnumerateArray().Select(x => x.GetInt32()).Should().Equal(3, 10);
    }

    [Fact]
    public async Task MLXK_PYTHON_wins_when_it_is_executable_and_brings_its_own_home()
    {
        var (python, prefix) = await LauncherFixture.HostPython();

        var (exitCode, stdout, _) = await Run(fixture.Launcher, ["env"], new Dictionary<string, string?> { ["MLXK_PYTHON"] = python });

        exitCode.Should().Be(0);
        var report = Json(stdout);
        report.GetProperty("env").GetProperty("MLXK_PYTHON").GetString().Should().Be(python);
        report.GetProperty("env").GetProperty("PYTHONHOME").GetString().Should().Be(prefix);
        report.GetProperty("prefix").GetString().Should().Be(prefix);
    }

    [Fact]
    public async Task A_wrapper_script_as_MLXK_PYTHON_gets_no_guessed_PYTHONHOME()
    {
        var (python, prefix) = await LauncherFixture.HostPython();
        var wrapper = _temp.Write("shims/python3", $"#!/bin/sh\nexec '{python}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var (exitCode, stdout, stderr) = await Run(fixture.Launcher, ["env"], new Dictionary<string, string?>
        {
            ["MLXK_PYTHON"] = wrapper,
            ["PYTHONHOME"] = "/inherited/and/wrong",
        });

        exitCode.Should().Be(0, stderr);
        var report = Json(stdout);
        report.GetProperty("env").GetProperty("PYTHONHOME").ValueKind.Should().Be(JsonValueKind.Null);
        report.GetProperty("prefix").GetString().Should().Be(prefix);
    }

    [Fact]
    public async Task Ignores_an_MLXK_PYTHON_that_cannot_run_and_says_so()
    {
        var (exitCode, stdout, stderr) = await Run(fixture.Launcher, ["env"], new Dictionary<string, string?> { ["MLXK_PYTHON"] = _temp["missing-python"] });

        exitCode.Should().Be(0);
        stderr.Should().Contain("[msty-mlx-studio] ignoring MLXK_PYTHON=");
        Json(stdout).GetProperty("env").GetProperty("MLXK_PYTHON").GetString().Should().Be(fixture.Python);
    }

    [Fact]
    public async Task Finds_its_bundle_through_a_symlink_elsewhere()
    {
        var link = _temp["bin/mlx"];
        Directory.CreateDirectory(_temp["bin"]);
        File.CreateSymbolicLink(link, fixture.Launcher);

        var (exitCode, stdout, _) = await Run(link, ["env"]);

        exitCode.Should().Be(0);
        Json(stdout).GetProperty("env").GetProperty("RESOURCES_PATH").GetString().Should().Be(fixture.BundleRoot);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(255)]
    public async Task Exits_with_the_childs_exit_code(int code)
    {
        (await Run(fixture.Launcher, ["exit", code.ToString()])).ExitCode.Should().Be(code);
    }

    [Theory]
    [InlineData(Signals.SIGTERM)]
    [InlineData(Signals.SIGKILL)]
    public async Task Exits_with_128_plus_the_signal_that_killed_the_child(int signal)
    {
        (await Run(fixture.Launcher, ["kill-self", signal.ToString()])).ExitCode.Should().Be(128 + signal);
    }

    [Theory]
    [InlineData(Signals.SIGTERM)]
    [InlineData(Signals.SIGHUP)]
    [InlineData(Signals.SIGQUIT)]
    [InlineData(Signals.SIGINT)]
    public async Task Forwards_each_terminating_signal_to_the_child_exactly_once(int signal)
    {
        var record = _temp["signals"];
        using var launcher = RunningProcess.Start(fixture.Launcher, ["signals", record]);
        await launcher.WaitForLine("ready");

        Signals.Send(launcher.Id, signal);
        await launcher.WaitForLine("got " + Signals.Name(signal));
        launcher.CloseInput();

        (await launcher.WaitForExit()).Should().Be(0, "one signal is forwarded, not escalated");
        File.ReadAllLines(record).Should().Equal(Signals.Name(signal));
    }

    [Fact]
    public async Task A_second_SIGINT_kills_a_child_that_ignores_the_first()
    {
        var record = _temp["signals"];
        using var launcher = RunningProcess.Start(fixture.Launcher, ["signals", record]);
        await launcher.WaitForLine("ready");

        Signals.Send(launcher.Id, Signals.SIGINT);
        await launcher.WaitForLine("got SIGINT");
        Signals.Send(launcher.Id, Signals.SIGINT);

        (await launcher.WaitForExit()).Should().Be(128 + Signals.SIGKILL);
        File.ReadAllLines(record).Should().Equal("SIGINT");
    }

    [Fact]
    public async Task Runs_exactly_one_child_the_bundled_python()
    {
        using var launcher = RunningProcess.Start(fixture.Launcher, ["wait"]);
        await launcher.WaitForLine("ready");

        var children = ChildrenOf(launcher.Id);

        children.Should().ContainSingle();
        File.ResolveLinkTarget($"/proc/{children[0]}/exe", returnFinalTarget: false)!.FullName
            .Should().Be(Path.Combine(fixture.BundleRoot, "python", "bin", Path.GetFileName(File.ResolveLinkTarget(fixture.Python, true)!.FullName)));
        launcher.CloseInput();
        (await launcher.WaitForExit()).Should().Be(0);
    }

    [Fact]
    public async Task A_signal_sent_right_after_start_is_never_lost()
    {
        var marker = "launcher-race-" + Guid.NewGuid().ToString("N");

        for (var i = 0; i < 100; i++)
        {
            using var launcher = RunningProcess.Start(fixture.Launcher, ["wait", marker]);
            Signals.Send(launcher.Id, Signals.SIGTERM);

            // Killed before it blocked signals, or the child got the SIGTERM: 143 either way, never a hang.
            (await launcher.WaitForExit()).Should().Be(128 + Signals.SIGTERM, $"attempt {i + 1}");
        }

        ProcessesWithArgument(marker).Should().BeEmpty("no python may outlive its launcher");
    }

    [Fact]
    public async Task Ctrl_C_on_a_terminal_reaches_the_child_once()
    {
        var record = _temp["signals"];
        var harness = _temp.Write("pty_harness.py", """
            import os, pty, select, sys

            launcher, record = sys.argv[1], sys.argv[2]
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(launcher, [launcher, "signals", record])

            seen = b""
            def read_until(token):
                global seen
                while token not in seen:
                    ready, _, _ = select.select([fd], [], [], 30)
                    if not ready:
                        sys.exit("timed out waiting for %r, saw %r" % (token, seen))
                    seen += os.read(fd, 1024)

            read_until(b"ready")
            os.write(fd, b"\x03")        # Ctrl-C: the terminal signals the whole foreground group
            read_until(b"got SIGINT")
            os.write(fd, b"\x04")        # Ctrl-D: end of input, the child exits
            _, status = os.waitpid(pid, 0)
            print(os.waitstatus_to_exitcode(status))
            """);

        var result = await new ToolRunner(new SecretMasker()).RunAsync(new ToolCommand("python3", harness, fixture.Launcher, record));

        result.StandardOutput.Trim().Should().Be("0");
        File.ReadAllLines(record).Should().Equal(["SIGINT"], "the launcher must not forward a Ctrl-C the child already got from the terminal");
    }

    [Fact]
    public async Task Missing_python_exits_127_with_a_message()
    {
        var launcher = _temp["empty-bundle/msty-mlx-studio"];
        Directory.CreateDirectory(_temp["empty-bundle"]);
        File.Copy(fixture.Launcher, launcher);

        var (exitCode, _, stderr) = await Run(launcher, ["env"], new Dictionary<string, string?> { ["RESOURCES_PATH"] = null, ["MLXK_PYTHON"] = null });

        exitCode.Should().Be(127);
        stderr.Should().StartWith("[msty-mlx-studio] python not found: ").And.Contain("No such file or directory");
    }

    [Theory]
    [InlineData("not executable", "#!/bin/sh\n", UnixFileMode.UserRead | UnixFileMode.UserWrite, "Permission denied")]
    [InlineData("not a program", "just text\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "Exec format error")]
    public async Task A_python_that_cannot_run_exits_126_with_the_reason(string _, string content, UnixFileMode mode, string reason)
    {
        var bundle = _temp["bundle"];
        var launcher = Path.Combine(bundle, "msty-mlx-studio");
        var python = Path.Combine(bundle, "python", "bin", "python3");
        Directory.CreateDirectory(Path.GetDirectoryName(python)!);
        File.WriteAllText(python, content);
        File.SetUnixFileMode(python, mode);
        File.Copy(fixture.Launcher, launcher);

        var (exitCode, _, stderr) = await Run(launcher, ["env"], new Dictionary<string, string?> { ["RESOURCES_PATH"] = null, ["MLXK_PYTHON"] = null });

        exitCode.Should().Be(126);
        stderr.Should().Be($"[msty-mlx-studio] cannot run {python}: {reason}\n");
    }

    [Fact]
    public async Task Launcher_info_prints_json_without_starting_python()
    {
        var marker = _temp["python-started"];
        var spy = _temp.Write("spy-python", $"#!/bin/sh\ntouch '{marker}'\n");
        File.SetUnixFileMode(spy, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var (exitCode, stdout, _) = await Run(fixture.Launcher, ["--launcher-info"], new Dictionary<string, string?> { ["MLXK_PYTHON"] = spy });

        exitCode.Should().Be(0);
        var info = Json(stdout);
        info.GetProperty("bundle_root").GetString().Should().Be(fixture.BundleRoot);
        info.GetProperty("launcher").GetString().Should().Be(fixture.Launcher);
        info.GetProperty("python").GetString().Should().Be(spy);
        info.GetProperty("module").GetString().Should().Be("mlxk2.cli");
        info.GetProperty("env").GetProperty("MLXK2_SUPERVISE").GetString().Should().Be("0");
        File.Exists(marker).Should().BeFalse();
    }

    [Fact]
    public async Task The_module_is_chosen_when_the_launcher_is_compiled()
    {
        var bundle = _temp["other-bundle"];
        await LauncherFixture.BuildBundle(bundle);
        Directory.CreateDirectory(Path.Combine(bundle, "_vendor", "other"));
        File.WriteAllText(Path.Combine(bundle, "_vendor", "other", "__init__.py"), "");
        File.WriteAllText(Path.Combine(bundle, "_vendor", "other", "app.py"), "import sys\nprint('other app', *sys.argv[1:])\n");
        var launcher = await fixture.Compile(Path.Combine(bundle, "msty-mlx-studio"), "other.app");

        var (exitCode, stdout, _) = await Run(launcher, ["x"]);

        exitCode.Should().Be(0);
        stdout.Should().Be("other app x");
    }

    public static TheoryData<string> Compilers() => new(new[] { "gcc", "clang" }
        .Select(x => ToolLocator.FromEnvironment().TryFind(x) ?? (x == "clang" ? LlvmTools.Find("clang") : null))
        .OfType<string>());

    [Theory]
    [MemberData(nameof(Compilers))]
    public async Task Compiles_without_warnings_under_strict_flags(string compiler)
    {
        var output = await fixture.Compile(_temp["launcher-" + Path.GetFileName(compiler)], "mlxk2.cli", compiler);

        File.Exists(output).Should().BeTrue();
        LauncherCompiler.Arguments("l.c", "out", "msty-mlx-studio", "mlxk2.cli", LauncherPlatform.Host)
            .Should().Contain(["-Wall", "-Wextra", "-Werror"]);
    }

    [Fact]
    public void Targets_Apple_Silicon_on_macOS_11_and_later_for_the_release()
    {
        LauncherCompiler.Arguments("launcher/launcher.c", "out/msty-mlx-studio", "msty-mlx-studio", "mlxk2.cli", LauncherPlatform.MacOsArm64)
            .Should().Equal("-arch", "arm64", "-mmacosx-version-min=11.0", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror",
                "-DMLXK_APP_NAME=\"msty-mlx-studio\"", "-DMLXK_APP_MODULE=\"mlxk2.cli\"", "-o", "out/msty-mlx-studio", "launcher/launcher.c");
    }

    [Fact]
    public async Task A_failed_compile_leaves_no_launcher_behind()
    {
        var source = _temp.Write("broken.c", "int main(void) { return undeclared; }\n");
        var output = _temp["bundle/msty-mlx-studio"];

        var act = () => new LauncherCompiler(new ToolRunner(new SecretMasker())).CompileAsync(source, output, "msty-mlx-studio", "mlxk2.cli", LauncherPlatform.Host);

        (await act.Should().ThrowAsync<ToolFailedException>()).Which.Message.Should().Contain("undeclared");
        Directory.GetFiles(_temp["bundle"]).Should().BeEmpty();
    }

    [Theory]
    [InlineData("mlxk2.cli\" -DX=\"1")]
    [InlineData("")]
    public void Refuses_a_module_that_would_break_out_of_the_C_string(string module)
    {
        var act = () => LauncherCompiler.Arguments("l.c", "out", "msty-mlx-studio", module, LauncherPlatform.Host);

        act.Should().Throw<ReleaseException>().WithMessage("*AppModule*");
    }

    private static IEnumerable<int> Pids() =>
        Directory.GetDirectories("/proc").Select(x => int.TryParse(Path.GetFileName(x), out var pid) ? pid : 0).Where(x => x > 0);

    private static int[] ChildrenOf(int pid) =>
        Pids().Where(x => TryRead($"/proc/{x}/stat") is { } stat && ParentOf(stat) == pid).ToArray();

    // Field 4 of /proc/PID/stat, counted after the parenthesised command name, which may hold spaces.
    private static int ParentOf(string stat) => int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);

    private static IEnumerable<int> ProcessesWithArgument(string argument) =>
        Pids().Where(x => TryRead($"/proc/{x}/cmdline")?.Split('\0').Contains(argument) == true);

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
