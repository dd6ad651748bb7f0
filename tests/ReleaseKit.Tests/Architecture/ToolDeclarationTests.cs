using System.Text.RegularExpressions;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Architecture;

/// <summary>
/// Every external program is run through its one wrapper in Tooling, and every stage that runs one
/// declares it in its options' Parse, where the settings check finds it: no stage can run a tool
/// the check never looked for.
/// </summary>
public class ToolDeclarationTests
{
    private static readonly string Library = ProjectRoot.File("build/ReleaseKit");

    /// <summary>The wrappers of programs looked up on PATH; the bundled python and its venv's pyinstaller are the bundle's own.</summary>
    private static readonly string[] Wrappers = ["Codesign", "Xattr", "Spctl", "Ditto", "Security", "Xcrun", "Patch", "CCompiler", "Pip"];

    private static IEnumerable<string> LibraryFiles(string folder) =>
        Directory.GetFiles(Path.Combine(Library, folder), "*.cs", SearchOption.AllDirectories);

    [Fact]
    public void Only_the_wrappers_in_Tooling_start_a_program()
    {
        var starters = Directory.GetDirectories(Library).Where(x => Path.GetFileName(x) is not ("bin" or "obj" or "Tooling"))
            .SelectMany(x => LibraryFiles(Path.GetFileName(x)))
            .Append(Path.Combine(Library, "ReleasePipeline.cs"))
            .Where(file => File.ReadAllText(file).Contains("new ToolCommand(", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(Library, file));

        starters.Should().BeEmpty("a stage runs a tool through its wrapper, which holds the tool's exact arguments and its name for the settings check");
    }

    public static TheoryData<string> StageFolders() => new("Python", "Bundling", "Signing", "Notarization", "Packaging", "Publishing", "Verification");

    [Theory]
    [MemberData(nameof(StageFolders))]
    public void A_stage_declares_every_tool_it_runs_in_its_Parse(string folder)
    {
        var files = LibraryFiles(folder).Select(File.ReadAllText).ToArray();
        var run = Wrappers.Where(tool => files.Any(text => Regex.IsMatch(text, $@"new {tool}\("))).ToArray();
        var declared = files.Where(text => text.Contains("static Parsed<", StringComparison.Ordinal))
            .SelectMany(text => Wrappers.Where(tool => Regex.IsMatch(text, $@"\b{tool}\.Tool\b")))
            .ToHashSet();

        run.Should().BeSubsetOf(declared, $"{folder} runs these tools, so its options must name them for the settings check");
    }
}
