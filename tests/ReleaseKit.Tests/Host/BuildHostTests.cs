using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ReleaseKit.Settings;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Host;

public class BuildHostTests
{
    // pip's own flags, shown in the README as the value of --pip-args / PIP_ARGS.
    private static readonly string[] PipFlagsShownAsPipArgs = ["--no-index", "--find-links"];

    private static readonly string[] SecretParameters = ["AppleAppSpecificPassword", "R2SecretAccessKey", "MacosCertP12", "MacosCertPassword", "NotaryKey"];

    private static IEnumerable<string> SettingProperties =>
        typeof(ReleaseSettings).GetProperties().Where(x => x.CanWrite && x.Name != nameof(ReleaseSettings.RootDirectory)).Select(x => x.Name);

    [Fact]
    public void Declares_every_release_target()
    {
        BuildHostSource.Targets.Should().BeEquivalentTo(
            ["Clean", "CheckSettings", "ImportCertificate", "FetchPython", "Bundle", "Sign", "Notarize", "Package", "Upload", "Release", "Verify", "CleanupKeychain"]);
    }

    [Fact]
    public void Declares_a_described_parameter_for_every_release_setting_and_nothing_else()
    {
        BuildHostSource.Parameters.Select(x => x.Name).Should().BeEquivalentTo(SettingProperties);
        BuildHostSource.Parameters.Should().OnlyContain(x => x.Description.Length > 10);
    }

    [Fact]
    public void Passes_every_parameter_into_the_release_settings()
    {
        foreach (var parameter in BuildHostSource.Parameters)
            BuildHostSource.Text.Should().Contain($"{parameter.Name} = {parameter.Name},", $"{parameter.Name} must reach the library");
    }

    [Fact]
    public void Marks_exactly_the_secrets_as_secret()
    {
        BuildHostSource.Parameters.Where(x => x.Secret).Select(x => x.Name).Should().BeEquivalentTo(SecretParameters);
        new ReleaseSettings { RootDirectory = "/", AppleAppSpecificPassword = "a", R2SecretAccessKey = "b" }.Secrets.Should().HaveCount(SecretParameters.Length);
    }

    [Theory]
    [InlineData("FetchPython", "Steps.FetchPythonAsync()")]
    [InlineData("Bundle", "Steps.BundleAsync()")]
    [InlineData("Sign", "Steps.SignAsync()")]
    [InlineData("Notarize", "Steps.NotarizeAsync()")]
    [InlineData("Package", "Steps.PackageAsync()")]
    [InlineData("Upload", "Steps.UploadAsync()")]
    [InlineData("Verify", "Steps.VerifyAsync()")]
    [InlineData("Clean", "Steps.Clean()")]
    [InlineData("Release", "Steps.WriteSummary()")]
    [InlineData("ImportCertificate", "Steps.ImportCertificateAsync()")]
    [InlineData("CleanupKeychain", "Steps.CleanupKeychainAsync()")]
    public void Each_target_makes_one_call_into_the_library(string target, string call)
    {
        var body = BuildHostSource.TargetBody(target);

        body.Should().Contain($".Executes(() => {call})");
        Regex.Matches(body, @"Steps\.\w+\(").Should().ContainSingle();
    }

    [Fact]
    public void Async_entry_points_return_a_plain_Task_so_NUKE_awaits_them()
    {
        // With Task<T>, NUKE's Executes<T>(Func<T>) overload wins and the task is never awaited.
        typeof(ReleaseSteps).GetMethods().Where(x => x.Name.EndsWith("Async"))
            .Should().NotBeEmpty().And.OnlyContain(x => x.ReturnType == typeof(Task));
    }

    [Fact]
    public void Every_stage_after_the_settings_check_follows_the_release_order()
    {
        BuildHostSource.TargetBody("ImportCertificate").Should().Contain(".DependsOn(CheckSettings)").And.Contain(".WhenSkipped(DependencyBehavior.Execute)");
        BuildHostSource.TargetBody("FetchPython").Should().Contain(".DependsOn(CheckSettings, ImportCertificate)");
        BuildHostSource.TargetBody("Bundle").Should().Contain(".DependsOn(FetchPython)");
        BuildHostSource.TargetBody("Sign").Should().Contain(".DependsOn(Bundle)");
        BuildHostSource.TargetBody("Notarize").Should().Contain(".DependsOn(Sign)").And.Contain(".WhenSkipped(DependencyBehavior.Execute)");
        BuildHostSource.TargetBody("Package").Should().Contain(".DependsOn(Notarize)").And.Contain(".Produces(");
        BuildHostSource.TargetBody("Upload").Should().Contain(".DependsOn(Package)").And.Contain(".WhenSkipped(DependencyBehavior.Execute)");
        BuildHostSource.TargetBody("Release").Should().Contain(".DependsOn(Package, Upload)");
        BuildHostSource.Text.Should().Contain("Execute<Build>(x => x.Release)");
    }

    [Fact]
    public void The_keychain_is_cleaned_up_last_whenever_it_may_have_been_imported_even_after_a_failure()
    {
        var cleanup = BuildHostSource.TargetBody("CleanupKeychain");

        cleanup.Should().Contain(".TriggeredBy(ImportCertificate)").And.Contain(".After(Release, Verify)").And.Contain(".AssuredAfterFailure()");
        cleanup.Should().NotContain("OnlyWhen", "a run killed before its end leaves a keychain that the next cleanup must remove");
    }

    [Fact]
    public void Verify_checks_an_existing_tarball_without_running_the_release_chain()
    {
        var verify = BuildHostSource.TargetBody("Verify");

        verify.Should().Contain(".DependsOn(CheckSettings)").And.Contain(".After(Package, Upload)");
        verify.Should().NotContainAny("DependsOn(Package", "DependsOn(Sign", "DependsOn(Bundle");
    }

    [Fact]
    public void Schema_describes_every_parameter_and_target_as_NUKE_writes_it()
    {
        using var schema = JsonDocument.Parse(ProjectRoot.Read(".nuke/build.schema.json"));
        var properties = schema.RootElement.GetProperty("allOf")[0].GetProperty("properties");
        var targets = schema.RootElement.GetProperty("definitions").GetProperty("ExecutableTarget").GetProperty("enum");

        properties.EnumerateObject().Select(x => x.Name).Should().Equal(BuildHostSource.Parameters.Select(x => x.Name).Order(StringComparer.Ordinal));
        foreach (var parameter in BuildHostSource.Parameters)
        {
            var property = properties.GetProperty(parameter.Name);
            property.GetProperty("type").GetString().Should().Be(parameter.Type switch { "bool" => "boolean", "int" => "integer", _ => "string" });
            property.GetProperty("description").GetString().Should().Be(parameter.Description.TrimEnd('.'));
            property.TryGetProperty("default", out _).Should().Be(parameter.Secret);
        }

        targets.EnumerateArray().Select(x => x.GetString()).Should().Equal(BuildHostSource.Targets.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parameters_file_sets_only_declared_parameters_and_points_at_the_schema()
    {
        using var parameters = JsonDocument.Parse(ProjectRoot.Read(".nuke/parameters.json"));

        var names = parameters.RootElement.EnumerateObject().Select(x => x.Name).ToArray();
        names.Should().Contain("$schema");
        names.Except(["$schema"]).Should().BeSubsetOf(BuildHostSource.Parameters.Select(x => x.Name));
        Directory.Exists(ProjectRoot.File(".nuke")).Should().BeTrue("NUKE finds the root by a .nuke directory; a .nuke file triggers an interactive prompt");
    }

    [Fact]
    public void Host_project_references_NUKE_10_1_and_the_library_without_compiling_its_sources()
    {
        var project = XDocument.Load(ProjectRoot.File("build/_build.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;

        Property("TargetFramework").Should().Be("net10.0");
        Property("OutputType").Should().Be("Exe");
        Property("DefaultItemExcludes").Should().Contain("ReleaseKit/**");
        project.Descendants("PackageReference").Should().ContainSingle(x =>
            x.Attribute("Include")!.Value == "Nuke.Common" && x.Attribute("Version")!.Value == "10.1.0");
        project.Descendants("ProjectReference").Single().Attribute("Include")!.Value.Should().Be("ReleaseKit/ReleaseKit.csproj");
    }

    [Fact]
    public void Library_does_not_depend_on_NUKE()
    {
        XDocument.Load(ProjectRoot.File("build/ReleaseKit/ReleaseKit.csproj")).Descendants("PackageReference")
            .Should().NotContain(x => x.Attribute("Include")!.Value.StartsWith("Nuke."));
        Directory.GetFiles(ProjectRoot.File("build/ReleaseKit"), "*.cs", SearchOption.AllDirectories)
            .Where(x => !x.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Should().OnlyContain(x => !File.ReadAllText(x).Contains("using Nuke."));
    }

    [Fact]
    public void Readme_documents_every_parameter_and_only_declared_flags()
    {
        var readme = ProjectRoot.Read("README.md");
        // NUKE's own parameters (the NukeBuild part of the schema), and the flag that regenerates CI files.
        using var schema = JsonDocument.Parse(ProjectRoot.Read(".nuke/build.schema.json"));
        var builtIn = schema.RootElement.GetProperty("definitions").GetProperty("NukeBuild").GetProperty("properties")
            .EnumerateObject().Select(x => x.Name).Append("GenerateConfiguration");
        var declared = BuildHostSource.Parameters.Select(x => x.Name).Concat(builtIn).Select(SettingName.Flag).ToHashSet();

        foreach (var parameter in BuildHostSource.Parameters)
            readme.Should().Contain($"| `{SettingName.Flag(parameter.Name)}` | `{SettingName.EnvironmentVariable(parameter.Name)}`");

        var launcher = ProjectRoot.Read("launcher/launcher.c");
        var benchmarks = ProjectRoot.Read("benchmarks/ReleaseKit.Benchmarks/BenchmarkOptions.cs");
        foreach (var (command, flag) in ReadmeFlags(readme))
        {
            var accepted = command switch
            {
                "build" => declared.Contains(flag) || PipFlagsShownAsPipArgs.Contains(flag),
                "launcher" => launcher.Contains($"\"{flag}\""),
                "benchmark" => benchmarks.Contains($"\"{flag}\""),
                _ => true,
            };
            accepted.Should().BeTrue($"the README shows {flag} for the {command}, which must accept it");
        }
    }

    /// <summary>
    /// Flags as a reader meets them: in each code span and code line, after VAR=value assignments,
    /// attributed to the command they follow. Other tools' flags (xcode-select --install) are theirs.
    /// </summary>
    private static IEnumerable<(string Command, string Flag)> ReadmeFlags(string readme)
    {
        var blocks = Regex.Matches(readme, "```[a-z]*\n(?<body>.*?)```", RegexOptions.Singleline).SelectMany(x => x.Groups["body"].Value.Split('\n'));
        var spans = Regex.Matches(Regex.Replace(readme, "```.*?```", "", RegexOptions.Singleline), "`(?<code>[^`]+)`").Select(x => x.Groups["code"].Value);
        foreach (var segment in blocks.Concat(spans))
        {
            var code = Regex.Replace(segment.Split(" #")[0], @"\b[A-Z][A-Z0-9_]*=(""[^""]*""|\S*)\s*", "").Replace("export ", "").Trim();
            var command = code switch
            {
                _ when code.StartsWith("./build.sh") || code.StartsWith("nuke ") || code.StartsWith("npm run") || code.StartsWith("--") => "build",
                _ when code.StartsWith("dotnet run") && code.Contains(" -- ") => "benchmark",
                _ when code.StartsWith("msty-mlx-studio") => "launcher",
                _ => null,
            };
            if (command is null)
                continue;
            var arguments = command == "benchmark" ? code[code.IndexOf(" -- ", StringComparison.Ordinal)..] : code;
            foreach (Match flag in Regex.Matches(arguments, @"(?<![\w-])--[a-z][a-z0-9-]+"))
                yield return (command, flag.Value);
        }
    }

    [Fact]
    public void Readme_test_command_is_the_one_CI_runs()
    {
        var readme = ProjectRoot.Read("README.md");
        var command = Regex.Match(readme, @"```bash\n\./build\.sh Release[^\n]*\n(dotnet test [^ #\n]+)").Groups[1].Value;

        command.Should().Be("dotnet test tests/ReleaseKit.Tests");
        ProjectRoot.Read(".ci/run").Should().Contain("\n" + command + " ");
        ProjectRoot.Read("package.json").Should().Contain("\"mlx:release\": \"./build.sh Release\"");
    }
}
