using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Host;

/// <summary>
/// Which targets a command line schedules and which it skips, read from NUKE's own closing table.
/// --sign-parallelism 0 makes the settings check fail on any machine, so nothing else runs and the
/// table shows the plan: NotRun for a scheduled target, Skipped for one a static condition drops.
/// </summary>
[Trait("Category", TestTier.Slow)]
[Collection(HostCollection.Name)]
public class HostPlanTests(HostCheckout host)
{
    private static readonly string[] Chain = ["FetchPython", "Bundle", "Sign", "Package", "Release"];

    private static readonly Dictionary<string, string?> R2 = new()
    {
        ["R2_ACCESS_KEY_ID"] = "key", ["R2_SECRET_ACCESS_KEY"] = "secret", ["R2_BUCKET"] = "releases", ["R2_ENDPOINT"] = "https://account.r2.cloudflarestorage.com",
    };

    private async Task<IReadOnlyDictionary<string, string>> PlanAsync(string[] arguments, Dictionary<string, string?>? environment = null)
    {
        var run = await host.RunAsync([.. arguments, "--sign-parallelism", "0", "--no-logo"], environment);
        run.ExitCode.Should().NotBe(0);
        run.Output.Should().Contain("SIGN_PARALLELISM (--sign-parallelism) is 0");
        run.Targets.Should().Contain("CheckSettings", "Failed");
        return run.Targets;
    }

    [Fact]
    public async Task Release_schedules_the_chain_with_notarization_and_skips_upload_and_the_keychain()
    {
        var plan = await PlanAsync(["Release"]);

        plan.Should().ContainKeys(Chain).And.Contain("Notarize", "NotRun").And.Contain("Upload", "Skipped").And.Contain("ImportCertificate", "Skipped");
        plan.Keys.Should().NotContain(["Verify", "Clean"]);
        plan.Should().Contain("CleanupKeychain", "Succeeded", "the assured cleanup runs even after the failed check");
    }

    [Fact]
    public async Task Release_with_skip_notarize_skips_only_Notarize()
    {
        var plan = await PlanAsync(["Release", "--skip-notarize"]);

        plan.Should().Contain("Notarize", "Skipped");
        foreach (var target in Chain)
            plan.Should().Contain(target, "NotRun");
    }

    [Fact]
    public async Task Release_with_the_R2_settings_schedules_Upload()
    {
        var plan = await PlanAsync(["Release"], R2);

        plan.Should().Contain("Upload", "NotRun");
    }

    [Fact]
    public async Task Release_with_MACOS_CERT_P12_imports_the_certificate_first()
    {
        var plan = await PlanAsync(["Release"], new() { ["MACOS_CERT_P12"] = "MIIC", ["MACOS_CERT_PASSWORD"] = "pw" });

        plan.Should().Contain("ImportCertificate", "NotRun").And.Contain("CleanupKeychain", "Succeeded");
    }

    [Fact]
    public async Task Verify_runs_alone_and_says_it_verifies()
    {
        var run = await host.RunAsync(["Verify", "--version", "2.0.0b6", "--no-logo"]);

        run.Targets.Keys.Should().BeEquivalentTo("CheckSettings", "Verify");
        run.Targets.Should().Contain("CheckSettings", "Succeeded").And.Contain("Verify", "Failed");
        run.Output.Should().Contain("Verifying msty-mlx-studio 2.0.0b6").And.NotContain("Releasing");
        run.Output.Should().Contain("artifacts/msty-mlx-studio-2.0.0b6.tgz");
    }

    [Fact]
    public async Task Clean_runs_alone()
    {
        Directory.CreateDirectory(Path.Combine(host.Root, "dist", "old"));

        var run = await host.RunAsync(["Clean", "--no-logo"]);

        run.ExitCode.Should().Be(0, run.Output);
        run.Targets.Should().Equal(new Dictionary<string, string> { ["Clean"] = "Succeeded" });
        Directory.Exists(Path.Combine(host.Root, "dist")).Should().BeFalse();
    }
}
