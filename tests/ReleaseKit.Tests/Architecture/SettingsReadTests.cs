using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReleaseKit.Settings;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Architecture;

/// <summary>
/// A value goes from the host's field into its stage's parameters record, through that stage's one
/// Parse, and from there to the work: nothing reads the raw settings again after parsing, and each
/// default is written in one place.
/// </summary>
public class SettingsReadTests
{
    private static readonly string Library = ProjectRoot.File("build/ReleaseKit");

    private static readonly string[] SettingsMembers = typeof(ReleaseSettings).GetProperties().Select(x => x.Name).Where(x => x != nameof(ReleaseSettings.Secrets)).ToArray();

    [Fact]
    public void Only_ReleaseOptions_reads_the_release_settings()
    {
        var read = new Regex($@"\b[sS]ettings\.({string.Join('|', SettingsMembers)})\b");
        var readers = Directory.GetFiles(Library, "*.cs", SearchOption.AllDirectories)
            .Where(x => !x.Contains("/obj/") && !x.Contains("/bin/") && Path.GetFileName(x) is not ("ReleaseOptions.cs" or "ReleaseSettings.cs"))
            .Where(x => read.IsMatch(File.ReadAllText(x)))
            .Select(x => Path.GetRelativePath(Library, x));

        readers.Should().BeEmpty("a stage takes its parsed options; reading a raw setting again would skip the parse's defaults and checks");
    }

    [Fact]
    public void No_Parse_takes_another_stages_parameters()
    {
        var parameterRecords = typeof(ReleaseSettings).GetProperties().Select(x => x.PropertyType).Where(x => x.Name.EndsWith("Parameters", StringComparison.Ordinal)).ToHashSet();

        var crossings = typeof(ReleaseSettings).Assembly.GetTypes()
            .SelectMany(x => x.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(m => m.Name == "Parse"))
            .SelectMany(m => m.GetParameters().Skip(1).Where(p => parameterRecords.Contains(p.ParameterType)).Select(p => $"{m.DeclaringType!.Name}.Parse({p.ParameterType.Name})"));

        crossings.Should().BeEmpty("what a stage needs from another (the identity, the update key) comes typed from ReleaseOptions, not as the other stage's raw parameters");
    }

    /// <summary>The parsed options of every stage, as text, for settings that differ from the empty ones only where the file says.</summary>
    private static string Parsed(ReleaseSettings settings)
    {
        var options = new ReleaseOptions(settings, _ => null, prepareOnMacOS: false, verifyOnMacOS: false);
        var parsed = typeof(ReleaseOptions).GetProperties().Where(x => x.PropertyType.IsGenericType && x.PropertyType.GetGenericTypeDefinition() == typeof(Parsed<>))
            .Select(x => x.GetValue(options)!)
            .Select(x => new
            {
                Value = x.GetType().GetProperty(nameof(Parsed<object>.ValueOrNull))!.GetValue(x),
                Problems = x.GetType().GetProperty(nameof(Parsed<object>.Problems))!.GetValue(x),
            });
        return JsonSerializer.Serialize(parsed.Select(x => JsonSerializer.Serialize(x.Value) + JsonSerializer.Serialize(x.Problems)).Append(options.AppName));
    }

    /// <summary>The settings with one stage parameter set by its name, as the host would from the parameters file.</summary>
    private static ReleaseSettings With(ReleaseSettings settings, string name, string? value)
    {
        var stage = typeof(ReleaseSettings).GetProperties().First(x => x.PropertyType.GetProperty(name) is not null);
        var record = stage.GetValue(settings)!;
        var copy = record.GetType().GetMethod("<Clone>$")!.Invoke(record, null)!;
        copy.GetType().GetProperty(name)!.SetValue(copy, value);
        var given = settings with { };
        stage.SetValue(given, copy);
        return given;
    }

    [Fact]
    public void The_parameters_file_holds_only_what_differs_from_the_code()
    {
        using var root = new TempDirectory();
        root.Write("package.json", """{ "version": "2.0.0" }""");
        root.Write("requirements.txt", "mlx\n");
        var empty = new ReleaseSettings { RootDirectory = root.Path };
        using var file = JsonDocument.Parse(File.ReadAllText(ProjectRoot.File(".nuke/parameters.json")));

        foreach (var entry in file.RootElement.EnumerateObject().Where(x => x.Name != "$schema"))
        {
            typeof(ReleaseSettings).GetProperties().Should().Contain(x => x.PropertyType.GetProperty(entry.Name) != null, $"{entry.Name} in .nuke/parameters.json is a stage's parameter");

            Parsed(With(empty, entry.Name, entry.Value.GetString())).Should().NotBe(Parsed(empty), $".nuke/parameters.json sets {entry.Name} to the code's own default; say a default once, in the code");
        }
    }

    [Theory]
    [InlineData("Variant", "external")]
    [InlineData("AppModule", "mlxk2.cli")]
    [InlineData("LicensePolicy", "warn")]
    [InlineData("NotaryTimeout", "2h")]
    public void The_check_of_the_parameters_file_sees_a_repeated_default(string name, string value)
    {
        using var root = new TempDirectory();
        root.Write("package.json", """{ "version": "2.0.0" }""");
        var empty = new ReleaseSettings { RootDirectory = root.Path };

        Parsed(With(empty, name, value)).Should().Be(Parsed(empty));
    }
}
