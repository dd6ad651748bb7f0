using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Tooling;

public class SecretMaskerTests
{
    [Fact]
    public void Masks_every_occurrence_of_every_registered_secret()
    {
        var masker = new SecretMasker();
        masker.Register("hunter2");
        masker.Register("R2SECRETKEY");

        masker.Apply("pw=hunter2 key=R2SECRETKEY again hunter2").Should().Be("pw=*** key=*** again ***");
    }

    [Fact]
    public void Masks_each_line_of_a_multi_line_secret_as_tools_print_it_line_by_line()
    {
        var masker = new SecretMasker();
        const string key = "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg\nsecondLineOfTheKeyMaterial01234\n-----END PRIVATE KEY-----\n";
        masker.Register(key);

        masker.Apply("notarytool: --key MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg rejected").Should().Be("notarytool: --key *** rejected");
        masker.Apply("secondLineOfTheKeyMaterial01234").Should().Be("***");
        masker.Apply(key).Should().NotContain("MIGT").And.NotContain("secondLine");
        masker.Apply("a = b").Should().Be("a = b", "lines too short to be secret are not masked alone");
    }

    [Fact]
    public void Masks_a_secret_that_contains_another_as_a_whole()
    {
        var masker = new SecretMasker();
        masker.Register("abc");
        masker.Register("abcdef");

        masker.Apply("x abcdef y").Should().Be("x *** y");
    }

    [Fact]
    public void Masks_the_trimmed_form_of_a_secret_pasted_with_whitespace()
    {
        var masker = new SecretMasker();
        masker.Register("  token123\n");

        masker.Apply("token123").Should().Be("***");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Ignores_empty_secrets(string? secret)
    {
        var masker = new SecretMasker();
        masker.Register(secret);

        masker.Secrets.Should().BeEmpty();
        masker.Apply("nothing to hide").Should().Be("nothing to hide");
    }

    [Fact]
    public void Masks_additional_secrets_given_for_one_call()
    {
        new SecretMasker().Apply("p=one-off", ["one-off"]).Should().Be("p=***");
    }
}
