using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Host;

/// <summary>Documented flags whose values begin with '-' reach the build through the real host, or stop it with the fix.</summary>
[Trait("Category", TestTier.Slow)]
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

    [Theory]
    [InlineData("--target=Verify")]
    [InlineData("--target", "Verify")]
    [InlineData("-target", "Verify")]
    [InlineData("Verify")]
    public async Task Every_form_of_naming_the_target_runs_only_Verify(params string[] form)
    {
        var run = await host.RunAsync([.. form, "--version", "2.0.0b6", "--no-logo"]);

        run.Targets.Keys.Should().BeEquivalentTo(["CheckSettings", "Verify"], $"{string.Join(' ', form)} names Verify alone");
        run.Output.Should().Contain("Verifying msty-mlx-studio 2.0.0b6");
    }

    [Theory]
    [InlineData("--skip=Upload")]
    [InlineData("--skip", "Upload")]
    public async Task Every_form_of_skipping_Upload_skips_it_with_the_R2_settings_set(params string[] form)
    {
        var run = await host.RunAsync(["Release", .. form, "--sign-parallelism", "0", "--no-logo"], new Dictionary<string, string?>
        {
            ["R2_ACCESS_KEY_ID"] = "key", ["R2_SECRET_ACCESS_KEY"] = "secret", ["R2_BUCKET"] = "releases", ["R2_ENDPOINT"] = "https://account.r2.cloudflarestorage.com",
        });

        run.Targets.Should().Contain("CheckSettings", "Failed");
        run.Targets.Should().NotContain(x => x.Key == "Upload" && x.Value == "NotRun", $"{string.Join(' ', form)} must keep Upload out of the plan");
    }

    [Fact]
    public async Task A_one_dash_flag_with_a_dashed_value_reaches_Verify()
    {
        var run = await host.RunAsync(["Verify", "-artifact", "-broken.tgz", "--version", "2.0.0b6", "--no-logo"]);

        run.ExitCode.Should().NotBe(0);
        run.Output.Should().Contain("There is no -broken.tgz to verify").And.NotContain("msty-mlx-studio-2.0.0b6.tgz to verify");
    }

    [Fact]
    public async Task An_argument_error_never_prints_a_secret()
    {
        var run = await host.RunAsync(["Release", "--r2-secret-access-key", "-abc/very+secret", "stray"]);

        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("--r2-secret-access-key \"***\"").And.NotContain("very+secret");
    }
}
