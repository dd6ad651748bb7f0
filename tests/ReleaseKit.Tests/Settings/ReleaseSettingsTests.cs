using ReleaseKit.Settings;

namespace ReleaseKit.Tests.Settings;

public class ReleaseSettingsTests
{
    private static readonly ReleaseSettings Empty = new() { RootDirectory = "/project" };

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(x => x.Name == name).Value;

    [Fact]
    public void Defaults_match_the_documented_ones()
    {
        Empty.AppName.Should().Be("msty-mlx-studio");
        Empty.AppModule.Should().Be("mlxk2.cli");
        Empty.Variant.Should().Be("external");
        Empty.Bundle.Should().Be(BundleVariant.External);
        (Empty with { Variant = "PyInstaller" }).Bundle.Should().Be(BundleVariant.PyInstaller);
        Empty.DisableLibval.Should().BeTrue();
        Empty.SkipNotarize.Should().BeFalse();
    }

    [Fact]
    public void Command_line_version_wins_over_the_environment()
    {
        var settings = (Empty with { Version = "2.0.0rc1" }).WithEnvironmentFallbacks(Environment(("VERSION", "1.0.0")));

        settings.Version.Should().Be("2.0.0rc1");
    }

    [Fact]
    public void Environment_version_wins_over_package_json()
    {
        Empty.WithEnvironmentFallbacks(Environment(("VERSION", "2.0.0b6"))).Version.Should().Be("2.0.0b6");
    }

    [Fact]
    public void Without_any_version_package_json_decides_later()
    {
        Empty.WithEnvironmentFallbacks(Environment()).Version.Should().BeNull();
    }

    [Fact]
    public void Sign_id_falls_back_to_CSC_NAME()
    {
        var settings = Empty.WithEnvironmentFallbacks(Environment(("CSC_NAME", "Developer ID Application: A (T)")));

        settings.SignId.Should().Be("Developer ID Application: A (T)");
    }

    [Fact]
    public void SIGN_ID_wins_over_CSC_NAME()
    {
        var settings = Empty.WithEnvironmentFallbacks(Environment(("SIGN_ID", "-"), ("CSC_NAME", "Developer ID Application: A (T)")));

        settings.SignId.Should().Be("-");
        settings.IsAdHoc.Should().BeTrue();
    }

    [Fact]
    public void R2_settings_are_complete_only_when_all_four_are_set()
    {
        var partial = Empty with { R2AccessKeyId = "k", R2SecretAccessKey = "s", R2Bucket = "b" };

        partial.HasAnyR2Setting.Should().BeTrue();
        partial.HasCompleteR2Settings.Should().BeFalse();
        (partial with { R2Endpoint = "https://x" }).HasCompleteR2Settings.Should().BeTrue();
    }

    [Fact]
    public void Secrets_are_the_passwords_the_certificate_the_R2_secret_key_and_an_API_key_given_as_content()
    {
        (Empty with { AppleAppSpecificPassword = "pw", R2SecretAccessKey = "sk", R2AccessKeyId = "id", MacosCertP12 = "p12", MacosCertPassword = "cpw", NotaryKey = "/keys/AuthKey.p8" }).Secrets
            .Where(x => x is not null).Should().BeEquivalentTo(["pw", "sk", "p12", "cpw"], "a path to the key is not a secret");
        (Empty with { NotaryKey = "-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----" }).Secrets.Should().Contain(x => x != null && x.StartsWith("-----BEGIN"));
    }

    [Fact]
    public void Takes_electron_builders_notarization_variables_when_ours_are_unset()
    {
        var settings = Empty.WithEnvironmentFallbacks(Environment(
            ("APPLE_API_KEY", "/keys/AuthKey_ABCDE12345.p8"), ("APPLE_API_KEY_ID", "ABCDE12345"), ("APPLE_API_ISSUER", "69a6de70-03db-47e3-e053-5b8c7c11a4d1"), ("APPLE_KEYCHAIN_PROFILE", "profile")));

        settings.NotaryKey.Should().Be("/keys/AuthKey_ABCDE12345.p8");
        settings.NotaryKeyId.Should().Be("ABCDE12345");
        settings.NotaryIssuer.Should().Be("69a6de70-03db-47e3-e053-5b8c7c11a4d1");
        settings.NotaryKeychainProfile.Should().Be("profile");
        settings.NotaryTimeout.Should().Be("2h");
    }

    [Fact]
    public void Blank_values_from_empty_workflow_inputs_mean_the_defaults()
    {
        var settings = (Empty with { Version = "", Variant = " ", CpythonUrl = "", R2Path = "", AppName = "" }).WithEnvironmentFallbacks(Environment());

        settings.Version.Should().BeNull();
        settings.Variant.Should().Be("external");
        settings.CpythonUrl.Should().BeNull();
        settings.R2Path.Should().BeNull();
        settings.AppName.Should().Be("msty-mlx-studio");
    }

    [Fact]
    public void Records_that_hold_secrets_print_them_masked()
    {
        var settings = new ReleaseSettings
        {
            RootDirectory = "/project",
            SignId = "Developer ID Application: Example (TEAM123456)",
            AppleId = "release@example.com",
            AppleTeamId = "TEAM123456",
            AppleAppSpecificPassword = "abcd-efgh-ijkl-mnop",
            R2SecretAccessKey = "r2-secret-key",
            MacosCertP12 = "MIICcertificate",
            MacosCertPassword = "cert-password",
            NotaryKey = "-----BEGIN PRIVATE KEY-----\nkey-material\n-----END PRIVATE KEY-----",
        };
        var target = new ReleaseKit.Publishing.R2Target("https://account.r2.cloudflarestorage.com", "releases", "key-id", "r2-secret-key");
        var credentials = ReleaseKit.Notarization.NotaryCredentials.From(settings with { NotaryKey = null }).Credentials!;

        foreach (var text in new[] { settings.ToString(), target.ToString(), credentials.ToString() })
        {
            foreach (var secret in new[] { "abcd-efgh-ijkl-mnop", "r2-secret-key", "MIICcertificate", "cert-password", "key-material" })
                text.Should().NotContain(secret);
        }

        settings.ToString().Should().Contain("SignId = Developer ID Application: Example (TEAM123456)").And.Contain("AppleAppSpecificPassword = ***");
        target.ToString().Should().Contain("Bucket = releases").And.Contain("SecretAccessKey = ***");
    }

    [Fact]
    public void The_gzip_level_keeps_the_benchmarks_old_variable_as_a_fallback_and_a_value_wins()
    {
        Empty.WithEnvironmentFallbacks(Environment(("RELEASEKIT_GZIP_LEVEL", "9"))).GzipLevel.Should().Be(9);
        (Empty with { GzipLevel = 3 }).WithEnvironmentFallbacks(Environment(("RELEASEKIT_GZIP_LEVEL", "9"))).GzipLevel.Should().Be(3);
        Empty.WithEnvironmentFallbacks(Environment()).GzipLevel.Should().BeNull();
        Empty.LibraryValidation.Should().BeFalse("--disable-libval is on by default");
        (Empty with { DisableLibval = false }).LibraryValidation.Should().BeTrue();
    }

    [Fact]
    public void Pip_arguments_and_report_packages_are_lists_for_the_steps()
    {
        var settings = Empty with { PipArgs = "  --no-index   --find-links /wheels ", ReportPackages = "numpy, transformers\tsafetensors" };

        settings.PipArguments.Should().Equal("--no-index", "--find-links", "/wheels");
        settings.ReportPackageNames.Should().Equal("numpy", "transformers", "safetensors");
        Empty.PipArguments.Should().BeEmpty();
    }
}
