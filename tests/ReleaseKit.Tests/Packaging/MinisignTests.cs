using ReleaseKit.Packaging;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Packaging;

/// <summary>Update signatures in minisign's format, checked by the real minisign (Debian's package) and by Node's crypto, as an updater would.</summary>
public class MinisignTests : IDisposable
{
    private readonly TempDirectory _temp = new("minisign");

    public void Dispose() => _temp.Dispose();

    /// <summary>A key pair made by minisign itself; with a password, minisign reads it twice from stdin.</summary>
    private (string SecretKey, string PublicKey) Generate(string? password = null)
    {
        var secret = _temp[password is null ? "plain.key" : "protected.key"];
        var publicKey = Path.ChangeExtension(secret, ".pub");
        if (password is null)
            Shell.Run("minisign", "-G", "-W", "-p", publicKey, "-s", secret);
        else
            Shell.Run("bash", "-c", $"printf '%s\\n%s\\n' \"$0\" \"$0\" | minisign -G -p '{publicKey}' -s '{secret}'", password);
        return (File.ReadAllText(secret), File.ReadAllLines(publicKey)[1]);
    }

    private string SignFile(MinisignKey key, string comment)
    {
        var file = _temp.Write("msty-mlx-studio-2.0.0.tgz", "a release tarball\n");
        using (var stream = File.OpenRead(file))
            File.WriteAllText(file + ".minisig", key.Sign(stream, comment));
        return file;
    }

    [Fact]
    public void A_signature_verifies_with_minisign_and_with_Nodes_crypto()
    {
        var (secret, publicKey) = Generate();
        var key = MinisignKey.Parse(secret, null);

        var file = SignFile(key, "file:msty-mlx-studio-2.0.0.tgz\tversion:2.0.0");

        key.PublicKeyText.Should().Be(publicKey);
        Shell.Run("minisign", "-Vm", file, "-P", publicKey).Should().Contain("Trusted comment: file:msty-mlx-studio-2.0.0.tgz\tversion:2.0.0");
        Shell.Run("node", ProjectRoot.File("tests/tools/verify-minisig.cjs"), file, file + ".minisig", publicKey).Trim()
            .Should().Be("file:msty-mlx-studio-2.0.0.tgz\tversion:2.0.0");
        File.AppendAllText(file, "tampered");
        var tampered = () => Shell.Run("minisign", "-Vm", file, "-P", publicKey);
        tampered.Should().Throw<Exception>("a changed file no longer verifies");
    }

    // minisign's scrypt takes 1 GiB and seconds, three times here.
    [Fact]
    [Trait("Category", TestTier.Slow)]
    public void A_password_protected_key_needs_its_password()
    {
        var (secret, publicKey) = Generate("correct horse");

        MinisignKey.Parse(secret, "correct horse").PublicKeyText.Should().Be(publicKey);
        var wrong = () => MinisignKey.Parse(secret, "wrong");
        wrong.Should().Throw<FormatException>().WithMessage("*password is wrong*");
        var none = () => MinisignKey.Parse(secret, null);
        none.Should().Throw<FormatException>().WithMessage("*protected by a password*UPDATE_SIGNING_KEY_PASSWORD*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("RWQAAEIy")]
    [InlineData("untrusted comment: minisign public key 1\nRWTsh2qT4kYoxtTUqjfOmprPjeSSXBpu5JKU1xVL6TQzW+IjwHMfc/DQ")]
    public void Anything_else_is_not_a_key(string text)
    {
        var act = () => MinisignKey.Parse(text, null);

        act.Should().Throw<FormatException>();
    }
}
