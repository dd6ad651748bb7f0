using System.Text.RegularExpressions;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Host;

/// <summary>
/// The NUKE host read as text. It cannot be compiled here (Nuke.Common is not in this machine's
/// package mirror), so its declarations are checked against the library and the files NUKE reads.
/// </summary>
public static partial class BuildHostSource
{
    public sealed record Parameter(string Name, string Type, string Description, bool Secret);

    public static string Text { get; } = string.Join("\n",
        Directory.GetFiles(ProjectRoot.File("build"), "Build*.cs").Order().Select(File.ReadAllText));

    public static IReadOnlyList<Parameter> Parameters { get; } = ParameterDeclaration().Matches(Text)
        .Select(x => new Parameter(x.Groups["name"].Value, x.Groups["type"].Value, x.Groups["description"].Value, x.Groups["secret"].Success))
        .ToArray();

    public static IReadOnlyList<string> Targets { get; } = TargetDeclaration().Matches(Text).Select(x => x.Groups[1].Value).ToArray();

    /// <summary>The body of one target definition, from its name to the end of its expression.</summary>
    public static string TargetBody(string target)
    {
        var start = Text.IndexOf($"Target {target} =>", StringComparison.Ordinal);
        return Text[start..Text.IndexOf(';', start)];
    }

    [GeneratedRegex("""\[Parameter\("(?<description>[^"]*)"\)(?<secret>, Secret)?\]\s*readonly (?<type>\w+) (?<name>\w+)""")]
    private static partial Regex ParameterDeclaration();

    [GeneratedRegex(@"Target (\w+) =>")]
    private static partial Regex TargetDeclaration();
}
