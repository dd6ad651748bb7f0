using ReleaseKit.Bundling;
using ReleaseKit.Inventory;
using ReleaseKit.Notarization;
using ReleaseKit.Packaging;
using ReleaseKit.Publishing;
using ReleaseKit.Python;
using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Settings;

public class ReleaseSettingsTests
{
    private static readonly ReleaseSettings Empty = new() { RootDirectory = "/project" };

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(x => x.Name == name).Value;

    [Fact]
    public void Defaults_match_the_documented_ones()
    {
        using var root = new Support.TempDirectory();
        root.Write("requirements.txt", "mlx\n");
        var settings = Empty with
        {
            RootDirectory = root.Path,
            Bundle = new() { AppPackage = "mlx-knife" },
            Signing = new() { SignId = "Developer ID Application: Example (TEAM123456)" },
            Notary = new() { AppleId = "a@example.com", AppleTeamId = "TEAM123456", AppleAppSpecificPassword = "abcd-efgh-ijkl-mnop" },
        };

        // The defaults live in the parses (and the parameter records' constants the host names), nowhere else.
        var options = new ReleaseOptions(settings, _ => null, prepareOnMacOS: false, verifyOnMacOS: false);

        options.AppName.Should().Be("msty-mlx-studio");
        options.Bundle.Require().AppModule.Should().Be("mlxk2.cli");
        options.Bundle.Require().Variant.Should().Be(BundleVariant.External);
        options.Bundle.Require().LicensePolicy.Should().Be(LicensePolicyMode.Warn);
        options.Signing.Require().Parallelism.Should().Be(4);
        options.LibraryValidation.Should().BeFalse("--disable-libval is on by default");
        options.Signing.Require().LibraryValidation.Should().BeFalse();
        new ReleaseOptions(settings with { Signing = settings.Signing with { DisableLibval = false } }, _ => null, false, false).LibraryValidation.Should().BeTrue();
        options.SkipNotarize.Should().BeFalse();
        options.Notary.Require().Timeout.Should().BeEquivalentTo(NotaryTimeout.TryParse("2h"));
        options.Notary.Require().LibraryValidation.Should().BeFalse();
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

        settings.Signing.SignId.Should().Be("Developer ID Application: A (T)");
    }

    [Fact]
    public void SIGN_ID_wins_over_CSC_NAME()
    {
        var settings = Empty.WithEnvironmentFallbacks(Environment(("SIGN_ID", "-"), ("CSC_NAME", "Developer ID Application: A (T)")));

        settings.Signing.Identity.Should().Be(SigningIdentity.AdHoc);
        settings.Signing.Identity!.IsAdHoc.Should().BeTrue();
    }

    [Fact]
    public void R2_options_exist_only_when_all_four_are_set()
    {
        var partial = new R2Parameters { R2AccessKeyId = "k", R2SecretAccessKey = "s", R2Bucket = "b" };

        partial.HasAny.Should().BeTrue();
        new R2Parameters().HasAny.Should().BeFalse();
        R2Options.Parse(partial).Problems.Should().ContainSingle().Which.Should().StartWith("Upload to R2 needs R2_ENDPOINT (--r2-endpoint)");
        var options = R2Options.Parse(partial with { R2Endpoint = " https://x ", ForceUpload = true }).Require();
        options.Target.Should().Be(new R2Target("https://x", "b", "k", "s"));
        options.Force.Should().BeTrue();
    }

    [Fact]
    public void Secrets_are_the_passwords_the_certificate_the_R2_secret_key_and_an_API_key_given_as_content()
    {
        var settings = Empty with
        {
            Notary = new() { AppleAppSpecificPassword = "pw", NotaryKey = "/keys/AuthKey.p8" },
            Upload = new() { R2SecretAccessKey = "sk", R2AccessKeyId = "id" },
            Certificate = new() { MacosCertP12 = "p12", MacosCertPassword = "cpw" },
        };
        settings.Secrets.Where(x => x is not null).Should().BeEquivalentTo(["pw", "sk", "p12", "cpw"], "a path to the key is not a secret");
        (Empty with { Notary = new() { NotaryKey = "-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----" } }).Secrets
            .Should().Contain(x => x != null && x.StartsWith("-----BEGIN"));
    }

    [Fact]
    public void Takes_electron_builders_notarization_variables_when_ours_are_unset()
    {
        var settings = Empty.WithEnvironmentFallbacks(Environment(
            ("APPLE_API_KEY", "/keys/AuthKey_ABCDE12345.p8"), ("APPLE_API_KEY_ID", "ABCDE12345"), ("APPLE_API_ISSUER", "69a6de70-03db-47e3-e053-5b8c7c11a4d1"), ("APPLE_KEYCHAIN_PROFILE", "profile")));

        settings.Notary.NotaryKey.Should().Be("/keys/AuthKey_ABCDE12345.p8");
        settings.Notary.NotaryKeyId.Should().Be("ABCDE12345");
        settings.Notary.NotaryIssuer.Should().Be("69a6de70-03db-47e3-e053-5b8c7c11a4d1");
        settings.Notary.NotaryKeychainProfile.Should().Be("profile");
    }

    [Fact]
    public void Blank_values_from_empty_workflow_inputs_mean_the_defaults()
    {
        using var root = new Support.TempDirectory();
        root.Write("requirements.txt", "mlx\n");
        var settings = (Empty with { Version = "", AppName = "" }).WithEnvironmentFallbacks(Environment());

        settings.Version.Should().BeNull();
        var bundle = BundleOptions.Parse(new BundleParameters { Variant = " ", AppModule = "", LicensePolicy = "", AppPackage = "mlx-knife", Requirements = " " }, root.Path).Require();
        bundle.Variant.Should().Be(BundleVariant.External);
        bundle.AppModule.Should().Be("mlxk2.cli");
        bundle.LicensePolicy.Should().Be(LicensePolicyMode.Warn);
        bundle.Requirements.Should().Be(Path.Combine(root.Path, "requirements.txt"));
        var python = PythonSource.Parse(new PythonParameters { CpythonUrl = "", EmbeddedPython = " " }, root.Path, prepareOnMacOS: false);
        python.Problems.Should().ContainSingle().Which.Should().StartWith("No Python to bundle");
        R2Options.Parse(new R2Parameters { R2AccessKeyId = "k", R2SecretAccessKey = "s", R2Bucket = "b", R2Endpoint = "https://x", R2Path = "" }).Require()
            .KeyPrefix("2.0.0").Should().Be("releases/2.0.0/");
    }

    [Fact]
    public void Records_that_hold_secrets_print_them_masked()
    {
        var settings = new ReleaseSettings
        {
            RootDirectory = "/project",
            Signing = new() { SignId = "Developer ID Application: Example (TEAM123456)" },
            Notary = new()
            {
                AppleId = "release@example.com",
                AppleTeamId = "TEAM123456",
                AppleAppSpecificPassword = "abcd-efgh-ijkl-mnop",
                NotaryKey = "-----BEGIN PRIVATE KEY-----\nkey-material\n-----END PRIVATE KEY-----",
            },
            Upload = new() { R2SecretAccessKey = "r2-secret-key" },
            Certificate = new() { MacosCertP12 = "MIICcertificate", MacosCertPassword = "cert-password" },
        };
        var target = new R2Target("https://account.r2.cloudflarestorage.com", "releases", "key-id", "r2-secret-key");
        var credentials = NotaryCredentials.From(settings.Notary with { NotaryKey = null }).Credentials!;
        var import = new CertificateImport([1, 2, 3], "cert-password", new SigningIdentity("Developer ID Application: Example (TEAM123456)"));

        foreach (var text in new[] { settings.ToString(), target.ToString(), credentials.ToString(), import.ToString() })
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
        Empty.WithEnvironmentFallbacks(Environment(("RELEASEKIT_GZIP_LEVEL", "9"))).Package.GzipLevel.Should().Be(9);
        (Empty with { Package = new() { GzipLevel = 3 } }).WithEnvironmentFallbacks(Environment(("RELEASEKIT_GZIP_LEVEL", "9"))).Package.GzipLevel.Should().Be(3);
        Empty.WithEnvironmentFallbacks(Environment()).Package.GzipLevel.Should().BeNull();
    }

    [Fact]
    public void Package_takes_its_time_from_SOURCE_DATE_EPOCH_and_names_a_bad_one_as_a_settings_problem()
    {
        PackageOptions.Parse(new PackageParameters(), Environment(("SOURCE_DATE_EPOCH", "1700000000"))).Require().Time.ToUnixTimeSeconds().Should().Be(1700000000);
        PackageOptions.Parse(new PackageParameters(), Environment()).Require().Time.Should().Be(DeterministicTar.DefaultTime);
        PackageOptions.Parse(new PackageParameters(), Environment(("SOURCE_DATE_EPOCH", "yesterday"))).Problems.Should().ContainSingle().Which.Should().Contain("SOURCE_DATE_EPOCH");
    }

    [Fact]
    public void Pip_arguments_and_report_packages_are_lists_for_the_steps()
    {
        using var root = new Support.TempDirectory();
        root.Write("requirements.txt", "mlx\n");
        var parameters = new BundleParameters { AppPackage = "mlx-knife", PipArgs = "  --no-index   --find-links /wheels ", ReportPackages = "numpy, transformers\tsafetensors" };

        var options = BundleOptions.Parse(parameters, root.Path).Require();

        options.PipArguments.Should().Equal("--no-index", "--find-links", "/wheels");
        options.ReportPackages.Should().Equal("numpy", "transformers", "safetensors");
        BundleOptions.Parse(new BundleParameters { AppPackage = "mlx-knife" }, root.Path).Require().PipArguments.Should().BeEmpty();
    }

    [Fact]
    public void A_source_folder_wins_over_the_package_and_remembers_it_for_the_log()
    {
        using var root = new Support.TempDirectory();
        root.Write("requirements.txt", "mlx\n");

        BundleOptions.Parse(new BundleParameters { AppPackage = "mlx-knife==2.0.4", AppSource = root.Path }, root.Path).Require().App
            .Should().Be(new AppProject(root.Path, null, "mlx-knife==2.0.4"));
        BundleOptions.Parse(new BundleParameters { AppPackage = " mlx-knife==2.0.4 " }, root.Path).Require().App
            .Should().Be(new AppRequirement("mlx-knife==2.0.4"));
    }

    [Fact]
    public async Task Each_stage_is_parsed_once_and_a_step_without_the_check_gets_the_same_problems()
    {
        using var root = new Support.TempDirectory();
        root.Write("package.json", """{ "version": "2.0.0" }""");
        var steps = new ReleasePipeline(new ReleaseSettings { RootDirectory = root.Path, Signing = new() { SignParallelism = 0 } });

        steps.Options.Signing.Should().BeSameAs(steps.Options.Signing);
        var act = () => steps.SignAsync();

        (await act.Should().ThrowAsync<SettingsException>()).Which.Problems
            .Should().Equal(steps.Options.Signing.Problems).And.Contain(x => x.StartsWith("SIGN_ID (--sign-id) is not set"));
    }
}
