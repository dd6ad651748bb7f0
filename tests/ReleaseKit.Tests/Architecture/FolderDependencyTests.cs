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

    /// <summary>The library's root namespace, which wires the stages together: a node of the graph like a folder.</summary>
    public const string Root = "(root)";

    /// <summary>
    /// Folder to the other folders its files name, by `using ReleaseKit.X` or a qualified `X.Type`; the
    /// root's files count as <see cref="Root"/>, and a folder naming a type declared there depends on it.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Graph()
    {
        var folders = Directory.GetDirectories(Library).Select(Path.GetFileName).Where(x => x is not ("bin" or "obj")).Cast<string>().ToArray();
        var rootFiles = Directory.GetFiles(Library, "*.cs");
        var rootTypes = rootFiles.SelectMany(file => Regex.Matches(File.ReadAllText(file), @"\b(?:class|record|struct|interface|enum)\s+(?<type>[A-Z]\w*)").Select(x => x.Groups["type"].Value)).ToHashSet();
        var reference = new Regex($@"using ReleaseKit\.(?<folder>\w+)|(?<![\w.])(?<folder>{string.Join('|', folders)})\.[A-Z]\w*|(?<![\w.])(?<root>{string.Join('|', rootTypes)})\b");
        IReadOnlySet<string> References(IEnumerable<string> files, string self) => files
            .SelectMany(file => reference.Matches(File.ReadAllText(file)).Select(x => x.Groups["root"].Success ? Root : x.Groups["folder"].Value))
            .Where(x => x != self && (x == Root || folders.Contains(x)))
            .ToHashSet();

        var graph = folders.ToDictionary(folder => folder, folder => References(Directory.GetFiles(Path.Combine(Library, folder), "*.cs", SearchOption.AllDirectories), folder));
        graph[Root] = References(rootFiles, Root);
        return graph;
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
    public void Only_the_root_wires_stages_together_and_no_folder_reaches_back_into_it()
    {
        var graph = Graph();

        graph.Where(x => x.Value.Contains(Root)).Select(x => x.Key).Should().BeEmpty("the root wires the stages; a folder that needs it (ReleaseException once lived there) makes a loop with every stage");
        graph[Root].Should().Contain(["Python", "Bundling", "Signing", "Notarization", "Packaging", "Publishing", "Verification"]);
    }

    /// <summary>The stages in the order a release runs them.</summary>
    private static readonly string[] ReleaseOrder = ["Python", "Bundling", "Signing", "Notarization", "Packaging", "Publishing", "Verification"];

    [Fact]
    public void No_stage_depends_on_a_stage_that_runs_after_it()
    {
        var graph = Graph();

        var forward = ReleaseOrder.SelectMany((stage, i) => graph[stage].Where(x => Array.IndexOf(ReleaseOrder, x) > i).Select(x => $"{stage} -> {x}"));

        forward.Should().BeEmpty("an earlier stage cannot know a later one; what both need belongs in a helper folder (Tooling, MachO, Inventory)");
    }

    [Fact]
    public void General_helpers_and_settings_depend_on_no_stage()
    {
        var graph = Graph();

        graph["Tooling"].Should().BeEmpty();
        graph["Settings"].Should().BeSubsetOf(["Tooling"]);
        graph["Archives"].Should().BeSubsetOf(["Tooling"]);
        graph["MachO"].Should().BeSubsetOf(["Tooling"]);
        graph["Inventory"].Should().BeSubsetOf(["Tooling", "Settings"]);
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
