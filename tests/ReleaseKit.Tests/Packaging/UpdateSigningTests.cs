using ReleaseKit.Packaging;
using ReleaseKit.Signing;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Packaging;

/// <summary>Package signs the tarball for the in-app updater when UPDATE_SIGNING_KEY is set; the real minisign checks it.</summary>
public class UpdateSigningTests : IDisposable
{
    private readonly TempDirectory _temp = new("update-signing");

    public UpdateSigningTests()
    {
        File.WriteAllText(_temp["package.json"], """{ "version": "2.0.0" }""");
        TreeBuilder.File(Bundle, "msty-mlx-studio", "launcher", TreeBuilder.Executable);
        TreeBuilder.File(Bundle, "python/lib/python3.12/os.py", "# os", TreeBuilder.Regular);
        SignatureRecord.Write(Bundle, new SignatureRecord("-", true, 1, SignatureRecord.FingerprintOf(Bundle), DateTimeOffset.UtcNow)
        {
            Contents = SignatureRecord.HashContentsAsync(Bundle, CancellationToken.None).GetAwaiter().GetResult(),
        });
        Shell.Run("minisign", "-G", "-W", "-p", _temp["update.pub"], "-s", _temp["update.key"]);
    }

    public void Dispose() => _temp.Dispose();

    private string Bundle => _temp["dist-ext-python/msty-mlx-studio"];

    private string Tarball => _temp["artifacts/msty-mlx-studio-2.0.0.tgz"];

    private ReleasePipeline Steps(string? key, string? password = null) => new(new ReleaseSettings
    {
        RootDirectory = _temp.Path,
        Signing = new() { SignId = "-" },
        Package = new() { UpdateSigningKey = key, UpdateSigningKeyPassword = password },
    });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Signs_the_tarball_with_a_key_given_as_a_path_or_as_content(bool asContent)
    {
        var key = asContent ? File.ReadAllText(_temp["update.key"]) : _temp["update.key"];
        var steps = Steps(key);

        await steps.PackageAsync();
        steps.WriteSummary();

        var publicKey = File.ReadAllLines(_temp["update.pub"])[1];
        var trusted = Shell.Run("minisign", "-Vm", Tarball, "-P", publicKey);
        trusted.Should().Contain("file:msty-mlx-studio-2.0.0.tgz").And.Contain("version:2.0.0").And.Contain($"sha256:{steps.Results.Package!.Sha256}");
        steps.Summary!.ToTable().Should().Contain($"minisign {steps.Results.UpdateKeyId}");
        steps.Results.UpdateKeyId.Should().Be(MinisignKey.KeyIdOf(File.ReadAllText(Tarball + ".minisig")));
    }

    [Fact]
    public async Task Without_a_key_nothing_is_signed_the_summary_says_so_and_an_old_signature_is_removed()
    {
        await Steps(_temp["update.key"]).PackageAsync();
        var steps = Steps(null);

        await steps.PackageAsync();
        steps.WriteSummary();

        File.Exists(Tarball + ".minisig").Should().BeFalse("a signature of an earlier tarball must not sit beside a new one");
        steps.Summary!.ToTable().Should().Contain("unsigned update");
    }

    [Theory]
    [InlineData("not a key", null, "UPDATE_SIGNING_KEY (--update-signing-key) is neither a minisign secret key nor the path of one")]
    [InlineData(null, "pw", "UPDATE_SIGNING_KEY_PASSWORD (--update-signing-key-password) is set but UPDATE_SIGNING_KEY (--update-signing-key) is not")]
    [InlineData("untrusted comment: x\nnot base64!", null, "UPDATE_SIGNING_KEY (--update-signing-key) cannot sign updates: its second line is not base64")]
    public void A_key_that_cannot_sign_is_a_settings_problem(string? key, string? password, string problem)
    {
        var parsed = PackageOptions.Parse(new PackageParameters { UpdateSigningKey = key, UpdateSigningKeyPassword = password }, _ => null);

        parsed.Problems.Should().ContainSingle().Which.Should().StartWith(problem);
    }

    [Fact]
    public void The_key_and_its_password_are_secrets_masked_everywhere()
    {
        var settings = new ReleaseSettings { RootDirectory = _temp.Path, Package = new() { UpdateSigningKey = "untrusted comment: k\nSECRETKEYLINE", UpdateSigningKeyPassword = "hunter22" } };

        settings.Secrets.Should().Contain(["untrusted comment: k\nSECRETKEYLINE", "hunter22"]);
        settings.ToString().Should().NotContain("SECRETKEYLINE").And.NotContain("hunter22");
        ReleaseKit.Tooling.SecretVariables.IsSecret("UPDATE_SIGNING_KEY").Should().BeTrue();
        ReleaseKit.Tooling.SecretVariables.IsSecret("UPDATE_SIGNING_KEY_PASSWORD").Should().BeTrue();
    }
}
