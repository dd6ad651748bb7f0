using System.Text.RegularExpressions;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Architecture;

/// <summary>ReleasePipeline reads like the release: its entry points in the order the stages run, each a hand-over to its stage's folder.</summary>
public class PipelineShapeTests
{
    private static readonly string Source = File.ReadAllText(ProjectRoot.File("build/ReleaseKit/ReleasePipeline.cs"));

    [Fact]
    public void The_entry_points_come_in_release_order()
    {
        var entries = Regex.Matches(Source, @"^    public (?:async )?(?:Task|void) (?<name>\w+)\(", RegexOptions.Multiline).Select(x => x.Groups["name"].Value);

        entries.Should().Equal("CheckSettings", "Clean", "ImportCertificateAsync", "FetchPythonAsync", "BundleAsync", "SignAsync", "NotarizeAsync",
            "PackageAsync", "UploadAsync", "VerifyAsync", "PromoteAsync", "CleanupKeychainAsync", "WriteSummary");
    }

    [Fact]
    public void The_pipeline_hands_each_stage_to_its_folder_and_does_no_stage_work_itself()
    {
        // What stage work looks like: writing files, spelling a bundle's folders, building upload keys or running tools.
        string[] work = ["File.Write", "File.Read", "\"_vendor\"", "\"_internal\"", "\"python\"", "manifest.json", "new UploadItem(", "Regex", "new ToolCommand("];

        work.Where(x => Source.Contains(x, StringComparison.Ordinal)).Should().BeEmpty();
        Source.Split('\n').Length.Should().BeLessThan(250, "the pipeline wires; the stages' logic lives in their folders");
    }
}
