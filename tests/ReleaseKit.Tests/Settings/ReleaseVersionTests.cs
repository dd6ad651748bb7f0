using ReleaseKit.Settings;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Settings;

public class ReleaseVersionTests : IDisposable
{
    private readonly TempDirectory _root = new();

    private string PackageJson => _root["package.json"];

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Takes_the_version_field_of_package_json_when_none_is_given()
    {
        _root.Write("package.json", """{ "name": "msty-mlx-studio", "version": "2.0.0b6" }""");

        var version = ReleaseVersion.Resolve(null, PackageJson);

        version.Should().Be(new ReleaseVersion("2.0.0b6", "package.json"));
    }

    [Fact]
    public void An_explicit_version_wins_over_package_json()
    {
        _root.Write("package.json", """{ "version": "1.0.0" }""");

        ReleaseVersion.Resolve(" 2.0.0rc1 ", PackageJson).Value.Should().Be("2.0.0rc1");
    }

    [Fact]
    public void An_explicit_version_does_not_need_package_json()
    {
        ReleaseVersion.Resolve("2.0.0", PackageJson).Source.Should().Be("--version / VERSION");
    }

    [Theory]
    [InlineData("2.0.0")]
    [InlineData("2.0")]
    [InlineData("2.0.0b6")]
    [InlineData("2.0.0a1")]
    [InlineData("2.0.0rc1")]
    [InlineData("2.0.0.post1")]
    [InlineData("2.0.0.dev3")]
    [InlineData("10.20.30.40")]
    public void Accepts_pep_440_release_versions(string version)
    {
        ReleaseVersion.Validate(version, "test").Should().Be(version);
    }

    [Theory]
    [InlineData("v2.0.0", "drop the leading 'v': 2.0.0")]
    [InlineData("2.0.0-beta.6", "2.0.0b6")]
    [InlineData("2", "PEP 440")]
    [InlineData("2.0.0 ", "PEP 440")]
    [InlineData("latest", "PEP 440")]
    [InlineData("2.0.0/../../etc", "PEP 440")]
    [InlineData("2.0.0beta6", "PEP 440")]
    [InlineData("２.０.０", "PEP 440")]
    [InlineData("2.0.0\n", "PEP 440")]
    [InlineData("2.0.٣", "PEP 440")]
    [InlineData("02.0.0", "PEP 440")]
    [InlineData("2.0.0+local", "PEP 440")]
    [InlineData("1!2.0.0", "PEP 440")]
    [InlineData("2.0.99999999999", "PEP 440")]
    public void Rejects_anything_else_with_the_fix(string version, string hint)
    {
        var act = () => ReleaseVersion.Validate(version, "--version");

        act.Should().Throw<ReleaseException>().Which.Message.Should().Contain($"'{version}'").And.Contain(hint);
    }

    [Fact]
    public void Missing_package_json_names_the_file_and_the_flag()
    {
        var act = () => ReleaseVersion.Resolve(null, PackageJson);

        act.Should().Throw<ReleaseException>().Which.Message.Should().Contain(PackageJson).And.Contain("does not exist").And.Contain("--version");
    }

    [Fact]
    public void Invalid_json_names_the_line()
    {
        _root.Write("package.json", "{\n  \"version\": \"2.0.0\",\n  oops\n}");

        var act = () => ReleaseVersion.Resolve(null, PackageJson);

        act.Should().Throw<ReleaseException>().Which.Message.Should().Contain("not valid JSON (line 3)").And.Contain("--version");
    }

    [Theory]
    [InlineData("""{ "name": "x" }""", "has no \"version\" field")]
    [InlineData("""[ "2.0.0" ]""", "has no \"version\" field")]
    [InlineData("""{ "version": 2 }""", "not a non-empty string")]
    [InlineData("""{ "version": "" }""", "not a non-empty string")]
    public void Missing_or_unusable_version_field_is_an_error(string json, string message)
    {
        _root.Write("package.json", json);

        var act = () => ReleaseVersion.Resolve(null, PackageJson);

        act.Should().Throw<ReleaseException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void A_bad_version_in_package_json_says_where_it_came_from()
    {
        _root.Write("package.json", """{ "version": "2.0.0-beta.1" }""");

        var act = () => ReleaseVersion.Resolve(null, PackageJson);

        act.Should().Throw<ReleaseException>().Which.Message.Should().Contain(PackageJson).And.Contain("2.0.0-beta.1");
    }
}
