using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ReleaseKit.Settings;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Host;

/// <summary>The host's project and the files the host generates, read as data; the host itself runs in the other Host tests.</summary>
public class BuildHostTests
{
    private static readonly string[] SecretParameters = ["AppleAppSpecificPassword", "R2SecretAccessKey", "MacosCertP12", "MacosCertPassword", "NotaryKey", "UpdateSigningKey", "UpdateSigningKeyPassword"];

    private static JsonElement SchemaParameters()
    {
        using var schema = JsonDocument.Parse(ProjectRoot.Read(".nuke/build.schema.json"));
        return schema.RootElement.GetProperty("allOf")[0].GetProperty("properties").Clone();
    }

    private static string Trimmed(string name) => new(name.Where(char.IsLetterOrDigit).ToArray());

    [Fact]
    public void Every_release_setting_is_a_parameter_of_the_host_and_nothing_else_is()
    {
        SchemaParameters().EnumerateObject().Select(x => Trimmed(x.Name)).Should().BeEquivalentTo(ReleaseParameters.Names);
        SchemaParameters().EnumerateObject().Should().OnlyContain(x => x.Value.GetProperty("description").GetString()!.Length > 10);
    }

    [Fact]
    public void Exactly_the_secrets_are_secret_parameters_and_the_library_masks_each_of_them()
    {
        // NUKE writes a default telling to use `nuke :secrets` for [Secret] parameters only.
        SchemaParameters().EnumerateObject().Where(x => x.Value.TryGetProperty("default", out _)).Select(x => Trimmed(x.Name))
            .Should().BeEquivalentTo(SecretParameters);

        var settings = new ReleaseSettings
        {
            RootDirectory = "/",
            Notary = new() { AppleAppSpecificPassword = "secret-1", NotaryKey = "-----BEGIN PRIVATE KEY-----\nsecret-5\n-----END PRIVATE KEY-----" },
            Upload = new() { R2SecretAccessKey = "secret-2" },
            Certificate = new() { MacosCertP12 = "secret-3", MacosCertPassword = "secret-4" },
        };
        foreach (var parameter in SecretParameters)
            settings.Secrets.Should().Contain((string?)ReleaseParameters.Value(settings, parameter), $"{parameter} must be masked");
        (settings with { Notary = settings.Notary with { NotaryKey = "/keys/AuthKey_ABC.p8" } }).Secrets.Should().NotContain("/keys/AuthKey_ABC.p8", "a path to the key is not the key");
    }

    [Fact]
    public void Async_entry_points_return_a_plain_Task_so_NUKE_awaits_them()
    {
        // With Task<T>, NUKE's Executes<T>(Func<T>) overload wins and the task is never awaited.
        typeof(ReleasePipeline).GetMethods().Where(x => x.Name.EndsWith("Async"))
            .Should().NotBeEmpty().And.OnlyContain(x => x.ReturnType == typeof(Task));
    }

    [Fact]
    public void Parameters_file_sets_only_declared_parameters_points_at_the_schema_and_names_the_default_app()
    {
        using var parameters = JsonDocument.Parse(ProjectRoot.Read(".nuke/parameters.json"));

        var names = parameters.RootElement.EnumerateObject().Select(x => x.Name).ToArray();
        names.Should().Contain("$schema");
        names.Except(["$schema"]).Should().BeSubsetOf(SchemaParameters().EnumerateObject().Select(x => x.Name));
        parameters.RootElement.GetProperty("AppPackage").GetString().Should().MatchRegex("^[a-z-]+==[0-9.]+$", "a dispatched release without app_package needs the app");
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
    public void Nothing_in_the_repository_points_restore_at_the_shared_NUKE_feed()
    {
        // What restore and MSBuild read by themselves.
        string[] automatic = ["nuget.config", "directory.build.props", "directory.build.targets", "directory.packages.props"];
        var configs = Directory.GetFiles(ProjectRoot.Path, "*", SearchOption.AllDirectories)
            .Where(x => automatic.Contains(Path.GetFileName(x).ToLowerInvariant()) || x.EndsWith(".csproj"))
            .Where(x => !x.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !x.Contains("node_modules"));
        configs.Should().NotBeEmpty().And.OnlyContain(x => !File.ReadAllText(x).Contains("nuke-feed") && !File.ReadAllText(x).Contains("RestoreAdditionalProjectSources"),
            "users restore Nuke.Common from nuget.org");
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
    public void Readme_test_command_is_the_one_CI_runs()
    {
        var readme = ProjectRoot.Read("README.md");
        var command = Regex.Match(readme, @"```bash\n\./build\.sh Release[^\n]*\n(dotnet test [^ #\n]+)").Groups[1].Value;

        command.Should().Be("dotnet test tests/ReleaseKit.Tests");
        ProjectRoot.Read(".ci/run").Should().Contain("\n" + command + " ");
        ProjectRoot.Read("package.json").Should().Contain("\"mlx:release\": \"./build.sh Release\"");
    }

    [Theory]
    [InlineData("build/_build.csproj")]
    [InlineData("build/ReleaseKit/ReleaseKit.csproj")]
    [InlineData("benchmarks/ReleaseKit.Benchmarks/ReleaseKit.Benchmarks.csproj")]
    public void A_new_NuGet_advisory_is_shown_but_never_fails_a_release_build(string project)
    {
        var notAsErrors = XDocument.Parse(ProjectRoot.Read(project)).Descendants("WarningsNotAsErrors").Select(x => x.Value).SingleOrDefault() ?? "";

        notAsErrors.Split(';').Should().Contain(["NU1901", "NU1902", "NU1903", "NU1904"], "NuGet audit findings of any severity stay warnings");
    }
}
