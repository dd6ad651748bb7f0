using ReleaseKit.Bundling;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Bundling;

public class VersionReportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Site => _temp["site"];

    private void Installed(string name, string version, string folder) =>
        _temp.Write($"site/{folder}/METADATA", $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nDescription with Name: other\n");

    private RequirementsFile Requirements(string text)
    {
        var path = _temp.Write("requirements.txt", text);
        return RequirementsFile.Read(path, []);
    }

    [Fact]
    public void Reports_each_package_with_its_requirement()
    {
        Installed("mlx", "0.30.0rc1", "mlx-0.30.0rc1.dist-info");
        Installed("mlx_lm", "0.28.3", "mlx_lm-0.28.3.dist-info");

        var lines = VersionReport.Check(Site, Requirements("mlx>=0.30.0rc1\nMLX-LM~=0.28.0 ; sys_platform == 'darwin'\n"), []);

        lines.Should().Equal(
            new VersionReport.Line("mlx", "0.30.0rc1", ">=0.30.0rc1", null),
            new VersionReport.Line("mlx-lm", "0.28.3", "~=0.28.0", null));
    }

    [Fact]
    public void Fails_a_version_outside_its_requirement()
    {
        Installed("mlx", "0.30.0rc1", "mlx-0.30.0rc1.dist-info");

        var act = () => VersionReport.Ensure(Site, Requirements("mlx~=0.30.0\n"), []);

        act.Should().Throw<ReleaseException>().WithMessage("*mlx 0.30.0rc1: does not satisfy ~=0.30.0*");
    }

    [Fact]
    public void Fails_a_required_package_that_is_missing()
    {
        VersionReport.Check(Site, Requirements("mlx>=0.29\n"), ["huggingface-hub"])
            .Should().Equal(new VersionReport.Line("mlx", "-", ">=0.29", "missing"), new VersionReport.Line("huggingface-hub", "-", "any", "missing"));
    }

    [Fact]
    public void Fails_two_versions_of_one_package_even_when_not_reported()
    {
        Installed("mlx", "0.30.0", "mlx-0.30.0.dist-info");
        Installed("mlx", "0.29.1", "mlx-0.29.1.dist-info");
        Installed("numpy", "2.1.0", "numpy-2.1.0.dist-info");
        Installed("NumPy", "2.0.0", "numpy-2.0.0.dist-info");

        var lines = VersionReport.Check(Site, Requirements("mlx\n"), []);

        lines.Where(x => x.Problem == "several versions installed").Select(x => x.Package).Should().BeEquivalentTo(["mlx", "numpy"]);
    }

    [Fact]
    public void An_unrequired_default_package_that_is_absent_is_fine()
    {
        VersionReport.Check(Site, Requirements("requests\n"), []).Should().BeEmpty();
    }

    [Fact]
    public void Custom_wheels_replace_their_lines_and_pin_their_version()
    {
        var wheel = WheelBuilder.Build(_temp["custom"], "mlx", "0.31.0.dev1", new Dictionary<string, string> { ["mlx/__init__.py"] = "" });
        var path = _temp.Write("requirements.txt", "--extra-index-url https://example.invalid/simple\nmlx>=0.29 # pinned\nmlx-lm>=0.28\n");

        var requirements = RequirementsFile.Read(path, [wheel]);

        requirements.Lines.Should().Equal("--extra-index-url https://example.invalid/simple", "mlx-lm>=0.28", wheel);
        requirements.Find("MLX")!.Specifier.Text.Should().Be("==0.31.0.dev1");
    }

    [Fact]
    public void A_missing_requirements_file_names_the_fix()
    {
        var act = () => RequirementsFile.Read(_temp["nope.txt"], []);

        act.Should().Throw<ReleaseException>().WithMessage("*does not exist*--requirements*");
    }
}
