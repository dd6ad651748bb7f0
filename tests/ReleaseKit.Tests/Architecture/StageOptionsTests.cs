using System.Reflection;
using ReleaseKit.Settings;

namespace ReleaseKit.Tests.Architecture;

/// <summary>
/// Each stage owns its options: the parameters record the host fills lives in the stage's folder,
/// beside the one Parse that turns it into typed options or problems.
/// </summary>
public class StageOptionsTests
{
    public static TheoryData<string> StageParameters() =>
        new(typeof(ReleaseSettings).GetProperties().Where(x => x.PropertyType.IsClass && x.PropertyType != typeof(string)).Select(x => x.Name));

    [Theory]
    [MemberData(nameof(StageParameters))]
    public void Each_stages_parameters_are_parsed_by_one_Parse_in_the_same_folder(string stage)
    {
        var parameters = typeof(ReleaseSettings).GetProperty(stage)!.PropertyType;

        var parsers = parameters.Assembly.GetTypes()
            .SelectMany(x => x.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(x => x.Name == "Parse" && x.GetParameters().FirstOrDefault()?.ParameterType == parameters)
            .ToArray();

        parsers.Should().ContainSingle($"{parameters.Name} is parsed in exactly one place");
        var parser = parsers[0];
        parser.DeclaringType!.Namespace.Should().Be(parameters.Namespace, "a stage's options live in its own folder");
        parser.ReturnType.GetGenericTypeDefinition().Should().Be(typeof(Parsed<>));
        parser.ReturnType.GetGenericArguments()[0].Should().Be(parser.DeclaringType, "Parse returns the options of the type that declares it");
    }

    [Fact]
    public void The_release_settings_carry_one_parameters_record_per_stage_and_nothing_typed_twice()
    {
        var stages = typeof(ReleaseSettings).GetProperties().Where(x => x.PropertyType.IsClass && x.PropertyType != typeof(string)).ToArray();

        stages.Select(x => x.PropertyType.Namespace!.Split('.')[^1]).Should().BeSubsetOf(
            ["Python", "Bundling", "Signing", "Notarization", "Packaging", "Publishing", "Verification"]);
        stages.Select(x => x.PropertyType).Should().OnlyHaveUniqueItems().And.HaveCount(8);
        typeof(ReleaseSettings).GetProperties().Where(x => x.PropertyType == typeof(string)).Select(x => x.Name)
            .Should().BeEquivalentTo(["RootDirectory", "Version", "AppName", "MacosMin"], "only what several stages share sits outside the stages' records (the oldest supported macOS: Bundle picks wheels by it, every preflight checks it)");
    }
}
