using System.Text.RegularExpressions;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Architecture;

/// <summary>
/// The library's folders form a chain: general helpers at the bottom (Tooling, Archives), Settings
/// on no stage, and no two stages importing each other, directly or round a loop.
/// </summary>
public class FolderDependencyTests
{
    private static readonly string Library = ProjectRoot.File("build/ReleaseKit");

    /// <summary>Folder to the other folders its files name, by `using ReleaseKit.X` or a qualified `X.Type`.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Graph()
    {
        var folders = Directory.GetDirectories(Library).Select(Path.GetFileName).Where(x => x is not ("bin" or "obj")).Cast<string>().ToArray();
        var reference = new Regex($@"using ReleaseKit\.(?<folder>\w+)|(?<![\w.])(?<folder>{string.Join('|', folders)})\.[A-Z]\w*");
        return folders.ToDictionary(folder => folder, folder => (IReadOnlySet<string>)Directory
            .GetFiles(Path.Combine(Library, folder), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => reference.Matches(File.ReadAllText(file)).Select(x => x.Groups["folder"].Value))
            .Where(x => x != folder && folders.Contains(x))
            .ToHashSet());
    }

    /// <summary>One dependency loop as a path (A -> B -> A), or null.</summary>
    public static string? FindCycle(IReadOnlyDictionary<string, IReadOnlySet<string>> graph)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        string? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? new HashSet<string>())
            {
                if (state.GetValueOrDefault(next) == 1)
                    return string.Join(" -> ", path.Skip(path.IndexOf(next)).Append(next));
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } cycle)
                    return cycle;
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        return graph.Keys.Order(StringComparer.Ordinal).Select(x => state.GetValueOrDefault(x) == 0 ? Visit(x) : null).FirstOrDefault(x => x is not null);
    }

    [Fact]
    public void No_folder_of_the_library_depends_on_itself_round_a_loop()
    {
        var graph = Graph();

        graph.Keys.Should().Contain(["Python", "Bundling", "Signing", "Notarization", "Packaging", "Publishing", "Verification", "MachO", "Tooling", "Settings"]);
        FindCycle(graph).Should().BeNull("stage folders must form a chain; a loop means a helper sits in the wrong folder");
    }

    [Fact]
    public void General_helpers_and_settings_depend_on_no_stage()
    {
        var graph = Graph();

        graph["Tooling"].Should().BeEmpty();
        graph["Settings"].Should().BeSubsetOf(["Tooling"]);
        graph["Archives"].Should().BeSubsetOf(["Tooling"]);
    }

    [Fact]
    public void The_loop_finder_names_the_loop_it_finds()
    {
        var graph = new Dictionary<string, IReadOnlySet<string>>
        {
            ["MachO"] = new HashSet<string> { "Packaging" },
            ["Packaging"] = new HashSet<string> { "Signing" },
            ["Signing"] = new HashSet<string> { "MachO" },
            ["Tooling"] = new HashSet<string>(),
        };

        FindCycle(graph).Should().Be("MachO -> Packaging -> Signing -> MachO");
        FindCycle(new Dictionary<string, IReadOnlySet<string>> { ["A"] = new HashSet<string> { "B" }, ["B"] = new HashSet<string>() }).Should().BeNull();
    }
}
