using ReleaseKit.Settings;

namespace ReleaseKit.Tests.Settings;

public class DashedValuesTests
{
    private static readonly DashedValues.Parameter[] Parameters =
    [
        new("SignId", DashedValues.Kind.Value),
        new("PipArgs", DashedValues.Kind.Value),
        new("R2-Access-Key-Id", DashedValues.Kind.Value),
        new("SkipNotarize", DashedValues.Kind.Switch),
        new("Target", DashedValues.Kind.Nuke),
        new("Skip", DashedValues.Kind.Nuke),
        new("Verbosity", DashedValues.Kind.Nuke),
        new("Artifact", DashedValues.Kind.Value),
        new("R2-Secret-Access-Key", DashedValues.Kind.Value, Secret: true),
    ];

    private static DashedValues.Result Find(params string[] arguments) => DashedValues.Find(arguments, Parameters);

    [Fact]
    public void Carries_values_that_NUKE_would_read_as_flags()
    {
        var result = Find("Release", "--sign-id", "-", "--pip-args", "--no-index --find-links /wheels", "--skip-notarize");

        result.Problems.Should().BeEmpty();
        result.Values.Should().Equal(new Dictionary<string, string> { ["SignId"] = "-", ["PipArgs"] = "--no-index --find-links /wheels" });
    }

    [Fact]
    public void Leaves_ordinary_values_to_NUKE()
    {
        var result = Find("Release", "--sign-id", "Developer ID Application: Example (TEAM123456)", "--r2-access-key-id", "key", "--verbosity", "verbose");

        result.Problems.Should().BeEmpty();
        result.Values.Should().BeEmpty();
    }

    [Theory]
    [InlineData("--sign-id=-", "SignId", "-")]
    [InlineData("--pip-args=--no-deps", "PipArgs", "--no-deps")]
    [InlineData("--r2-access-key-id=key", "R2-Access-Key-Id", "key")]
    [InlineData("--skip-notarize=false", "SkipNotarize", "false")]
    public void Carries_name_equals_value_which_NUKE_never_reads(string argument, string parameter, string value)
    {
        Find("Release", argument).Values.Should().Equal(new Dictionary<string, string> { [parameter] = value });
    }

    [Fact]
    public void A_single_value_that_looks_like_an_unknown_flag_is_the_value()
    {
        var result = Find("--pip-args", "--no-deps", "--skip-notarize");

        result.Problems.Should().BeEmpty();
        result.Values.Should().Contain("PipArgs", "--no-deps");
    }

    [Fact]
    public void Unquoted_words_after_a_carried_value_are_a_problem_naming_the_quoted_form()
    {
        var result = Find("Release", "--pip-args", "--no-index", "--find-links", "/wheels", "--skip-notarize");

        result.Problems.Should().ContainSingle().Which.Should().Be(
            "--pip-args takes one value, but 3 arguments follow it: quote them as one, --pip-args \"--no-index --find-links /wheels\"");
    }

    [Theory]
    [InlineData("--sign-id")]
    [InlineData("--sign-id", "--skip-notarize")]
    [InlineData("--sign-id", "--target", "Release")]
    public void A_value_parameter_followed_by_a_known_flag_or_nothing_is_a_problem(params string[] arguments)
    {
        Find(arguments).Problems.Should().ContainSingle().Which.Should().StartWith("--sign-id needs a value").And.Contain("SIGN_ID");
    }

    [Fact]
    public void NUKEs_own_parameters_and_switches_are_left_alone_in_the_forms_NUKE_reads()
    {
        Find("--target", "Verify", "--skip", "--skip-notarize", "-verbosity", "verbose").Should().BeEquivalentTo(new DashedValues.Result(new Dictionary<string, string>(), []));
    }

    [Theory]
    [InlineData("--target=Verify", "Target", "Verify")]
    [InlineData("--skip=Upload", "Skip", "Upload")]
    [InlineData("--skip=Notarize+Upload", "Skip", "Notarize+Upload")]
    [InlineData("-verbosity=verbose", "Verbosity", "verbose")]
    public void Carries_NUKEs_own_parameters_given_with_equals_which_NUKE_would_not_read(string argument, string name, string value)
    {
        var result = Find("Release", argument);

        result.Problems.Should().BeEmpty();
        result.Values.Should().Equal(new Dictionary<string, string> { [name] = value });
    }

    [Fact]
    public void Takes_one_dash_flags_as_NUKE_does()
    {
        var result = Find("Verify", "-artifact", "-broken.tgz", "-sign-id", "-");

        result.Problems.Should().BeEmpty();
        result.Values.Should().Equal(new Dictionary<string, string> { ["Artifact"] = "-broken.tgz", ["SignId"] = "-" });
    }

    [Fact]
    public void An_empty_value_after_equals_is_a_problem_not_an_unset_target()
    {
        Find("--target=").Problems.Should().ContainSingle().Which.Should().StartWith("--target= has no value after '='");
    }

    [Fact]
    public void A_problem_never_repeats_a_secret_value()
    {
        var problems = Find("Release", "--r2-secret-access-key", "-abc/very+secret", "stray").Problems;

        problems.Should().ContainSingle().Which.Should().Contain("--r2-secret-access-key \"***\"").And.NotContain("very+secret").And.NotContain("stray");
    }
}
