namespace ReleaseKit.Tests.Host;

/// <summary>Documented flags whose values begin with '-' reach the build through the real host, or stop it with the fix.</summary>
[Collection(HostCollection.Name)]
public class HostArgumentTests(HostCheckout host)
{
    [Fact]
    public async Task Sign_id_dash_reaches_the_settings_check_as_the_ad_hoc_identity()
    {
        var run = await host.RunAsync(["Release", "--sign-id", "-", "--sign-parallelism", "0", "--no-logo"]);

        run.Output.Should().Contain("SIGN_ID (--sign-id) is '-' (ad-hoc), which Apple does not notarize");
        run.Output.Should().NotContain("SIGN_ID (--sign-id) is not set");
    }

    [Fact]
    public async Task A_value_with_equals_reaches_the_build_too()
    {
        var run = await host.RunAsync(["Release", "--sign-id=-", "--sign-parallelism=0", "--no-logo"]);

        run.Output.Should().Contain("SIGN_ID (--sign-id) is '-' (ad-hoc)").And.Contain("SIGN_PARALLELISM (--sign-parallelism) is 0");
    }

    [Fact]
    public async Task Unquoted_pip_arguments_stop_the_build_with_the_quoted_form()
    {
        var run = await host.RunAsync(["Release", "--pip-args", "--no-index", "--find-links", "/wheels"]);

        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("error: --pip-args takes one value, but 3 arguments follow it: quote them as one, --pip-args \"--no-index --find-links /wheels\"");
        run.Targets.Should().BeEmpty("nothing started");
    }

    [Fact]
    public async Task A_flag_without_its_value_stops_the_build()
    {
        var run = await host.RunAsync(["Release", "--sign-id", "--skip-notarize"]);

        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("error: --sign-id needs a value");
    }
}
