using System.Text.RegularExpressions;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Host;

/// <summary>`./build.sh --help` of the real host against the README's parameter table and the flags its examples show.</summary>
[Trait("Category", TestTier.Slow)]
[Collection(HostCollection.Name)]
public partial class HostHelpTests(HostCheckout host)
{
    // pip's own flags, shown in the README as the value of --pip-args / PIP_ARGS.
    private static readonly string[] PipFlagsShownAsPipArgs = ["--no-index", "--find-links", "--no-deps"];

    private static readonly string[] ReleaseTargets =
        ["FetchPython", "Bundle", "Sign", "Notarize", "Package", "Upload", "Release", "Verify", "Clean", "ImportCertificate", "CleanupKeychain", "Promote"];

    private async Task<(IReadOnlyList<string> Targets, IReadOnlyList<string> Flags)> HelpAsync()
    {
        var help = await host.RunAsync(["--help", "--no-logo"]);
        help.ExitCode.Should().Be(0, help.Output);
        var targets = HelpTarget().Matches(help.Output).Select(x => x.Groups["target"].Value).ToArray();
        var flags = HelpFlag().Matches(help.Output).Select(x => x.Groups["flag"].Value).ToArray();
        return (targets, flags);
    }

    [Fact]
    public async Task Help_lists_every_target_and_every_parameter_under_the_names_the_README_documents()
    {
        var (targets, flags) = await HelpAsync();

        targets.Should().BeEquivalentTo(ReleaseTargets, "CheckSettings is unlisted; every release step is listed");
        var documented = ReadmeParameterTable().Matches(ProjectRoot.Read("README.md")).Select(x => x.Groups["flag"].Value).ToArray();
        documented.Should().NotBeEmpty();
        var nukeOwn = new[] { "--continue", "--help", "--host", "--no-logo", "--plan", "--profile", "--root", "--skip", "--target", "--verbosity" };
        flags.Except(nukeOwn).Should().BeEquivalentTo(documented, "--help and the README's table name the same flags");
    }

    [Fact]
    public async Task Readme_examples_use_only_flags_the_host_accepts()
    {
        var (_, flags) = await HelpAsync();
        var accepted = flags.Append("--generate-configuration").Concat(PipFlagsShownAsPipArgs).ToHashSet();
        var launcher = ProjectRoot.Read("launcher/launcher.c");
        var benchmarks = ProjectRoot.Read("benchmarks/ReleaseKit.Benchmarks/BenchmarkOptions.cs");

        foreach (var (command, flag) in ReadmeFlags(ProjectRoot.Read("README.md")))
        {
            var known = command switch
            {
                "build" => accepted.Contains(flag),
                "launcher" => launcher.Contains($"\"{flag}\""),
                "benchmark" => benchmarks.Contains($"\"{flag}\""),
                _ => true,
            };
            known.Should().BeTrue($"the README shows {flag} for the {command}, which must accept it");
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

    [GeneratedRegex(@"^  (?<target>[A-Z]\w+)(?: \(default\))? +(?:->|$)", RegexOptions.Multiline)]
    private static partial Regex HelpTarget();

    [GeneratedRegex(@"^  (?<flag>--[a-z0-9-]+)", RegexOptions.Multiline)]
    private static partial Regex HelpFlag();

    [GeneratedRegex(@"^\| `(?<flag>--[a-z0-9-]+)` \| `[A-Z0-9_]+`", RegexOptions.Multiline)]
    private static partial Regex ReadmeParameterTable();
}
