using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Signing;

/// <summary>ImportCertificate and CleanupKeychain against the stateful security fake, with a real PKCS#12.</summary>
public class KeychainTests : IDisposable
{
    private const string Login = "/Users/runner/Library/Keychains/login.keychain-db";
    private const string CertificatePassword = "p12-Passw0rd!";
    private readonly TempDirectory _temp = new();
    private readonly FakeTools _fakes = new FakeTools().AddApple("security");

    public void Dispose()
    {
        _temp.Dispose();
        _fakes.Dispose();
    }

    private static string Certificate(string name = AppleFakes.DeveloperId)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}, OU=TEAM123456", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return Convert.ToBase64String(certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, CertificatePassword), Base64FormattingOptions.InsertLineBreaks);
    }

    private ReleasePipeline Steps(string? certificate = null, string password = CertificatePassword, string signId = AppleFakes.DeveloperId) =>
        new(new ReleaseSettings { RootDirectory = _temp.Path, Signing = new() { SignId = signId }, Certificate = new() { MacosCertP12 = certificate ?? Certificate(), MacosCertPassword = password } }, _fakes.Runner())
        {
            KeychainDirectory = _temp["runner-temp"],
        };

    private JsonElement SecurityState => JsonDocument.Parse(File.ReadAllText(Path.Combine(_fakes.CallsDirectory, "security-state.json"))).RootElement;

    private string[] SearchList => SecurityState.GetProperty("search").EnumerateArray().Select(x => x.GetString()!).ToArray();

    private string StateFile => _temp[".nuke/temp/signing-keychain.json"];

    private IReadOnlyList<string> Commands => _fakes.Calls("security").Select(x => x[0]).ToArray();

    [Fact]
    public async Task Imports_into_a_temporary_keychain_codesign_can_use_keeping_the_search_list_and_cleanup_undoes_it()
    {
        Directory.CreateDirectory(_temp["runner-temp"]);
        using var log = LogCapture.Start();

        await Steps().ImportCertificateAsync();

        Commands.Should().Equal("list-keychains", "create-keychain", "set-keychain-settings", "unlock-keychain", "import", "set-key-partition-list", "list-keychains", "find-identity");
        var calls = _fakes.Calls("security");
        var keychain = calls[1][^1];
        var password = calls[1][2];
        keychain.Should().StartWith(_temp["runner-temp"]).And.EndWith(".keychain-db");
        calls[0].Should().Equal("list-keychains", "-d", "user");
        calls[1].Should().Equal("create-keychain", "-p", password, keychain);
        password.Should().MatchRegex("^[0-9a-f]{48}$");
        calls[2].Should().Equal("set-keychain-settings", "-lut", "21600", keychain);
        calls[3].Should().Equal("unlock-keychain", "-p", password, keychain);
        calls[4].Should().Equal("import", calls[4][1], "-P", CertificatePassword, "-f", "pkcs12", "-k", keychain, "-T", "/usr/bin/codesign");
        calls[5].Should().Equal("set-key-partition-list", "-S", "apple-tool:,apple:,codesign:", "-s", "-k", password, keychain);
        calls[6].Should().Equal("list-keychains", "-d", "user", "-s", keychain, Login);
        calls[7].Should().Equal("find-identity", "-v", "-p", "codesigning");
        SearchList.Should().Equal(keychain, Login);
        File.Exists(calls[4][1]).Should().BeFalse("the decoded .p12 is deleted right after the import");
        log.Text.Should().NotContain(password).And.NotContain(CertificatePassword).And.Contain("create-keychain -p ***");

        await Steps().CleanupKeychainAsync();

        SearchList.Should().Equal(Login);
        Commands.Skip(8).Should().Equal("list-keychains", "list-keychains", "delete-keychain");
        File.Exists(keychain).Should().BeFalse();
        File.Exists(StateFile).Should().BeFalse();
    }

    [Fact]
    public async Task A_failure_in_the_middle_removes_the_keychain_and_restores_the_search_list_at_once()
    {
        _fakes.Fault("security.fail", "set-key-partition-list");

        var act = () => Steps().ImportCertificateAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("security failed").And.Contain("set-key-partition-list");
        SearchList.Should().Equal(Login);
        SecurityState.GetProperty("keychains").EnumerateObject().Should().BeEmpty();
        Commands.Should().EndWith("delete-keychain");
        File.Exists(StateFile).Should().BeFalse();
        Directory.GetFiles(_temp["runner-temp"]).Should().BeEmpty("neither the keychain nor the .p12 stays behind");
    }

    [Fact]
    public async Task A_wrong_certificate_password_fails_with_securitys_message_and_leaves_nothing()
    {
        var act = () => Steps(password: "not-the-p12-password").ImportCertificateAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("MAC verification failed during PKCS12 import (wrong password?)");
        SearchList.Should().Equal(Login);
        Directory.GetFiles(_temp["runner-temp"]).Should().BeEmpty();
    }

    [Fact]
    public async Task An_identity_other_than_SIGN_ID_is_named_in_the_error()
    {
        var act = () => Steps(signId: "Developer ID Application: Someone Else (OTHER12345)").ImportCertificateAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should()
            .Contain("is not among the code signing identities").And.Contain($"\"{AppleFakes.DeveloperId}\"");
        SearchList.Should().Equal(Login);
    }

    [Fact]
    public async Task An_untrusted_chain_points_at_the_Developer_ID_G2_intermediate()
    {
        _fakes.Fault("security.untrusted");

        var act = () => Steps().ImportCertificateAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should()
            .Contain("CSSMERR_TP_NOT_TRUSTED").And.Contain("Developer ID Certification Authority (G2)");
        _fakes.Calls("security").Where(x => x[0] == "find-identity").Select(x => x.Contains("-v")).Should().Equal(true, false);
    }

    [Fact]
    public async Task Cleanup_in_a_later_process_removes_what_a_killed_run_left_and_is_a_no_op_otherwise()
    {
        await Steps().ImportCertificateAsync();
        var keychain = SearchList[0];

        // A new process: nothing in memory, only the record ImportCertificate wrote first.
        await Steps().CleanupKeychainAsync();
        await Steps().CleanupKeychainAsync();

        SearchList.Should().Equal(Login);
        File.Exists(keychain).Should().BeFalse();
        Commands.Count(x => x == "delete-keychain").Should().Be(1);
    }

    [Fact]
    public async Task Without_a_certificate_nothing_is_imported()
    {
        var steps = new ReleasePipeline(new ReleaseSettings { RootDirectory = _temp.Path, Signing = new() { SignId = AppleFakes.DeveloperId } }, _fakes.Runner());

        await steps.ImportCertificateAsync();
        await steps.CleanupKeychainAsync();

        _fakes.Calls("security").Should().BeEmpty();
    }

    [Theory]
    [InlineData("  1) 0123456789ABCDEF0123456789ABCDEF01234567 \"Developer ID Application: Example (TEAM123456)\"", null)]
    [InlineData("  2) 0123456789ABCDEF0123456789ABCDEF01234567 \"Developer ID Application: Example (TEAM123456)\" (CSSMERR_TP_NOT_TRUSTED)", "CSSMERR_TP_NOT_TRUSTED")]
    public void Reads_identities_as_find_identity_prints_them(string line, string? problem)
    {
        var identity = SecurityOutput.Identities("Policy: Code Signing\n" + line + "\n     1 valid identities found\n").Single();

        identity.Should().Be(new KeychainIdentity("0123456789ABCDEF0123456789ABCDEF01234567", AppleFakes.DeveloperId, problem));
        SecurityOutput.Matches(identity, "Developer ID Application: Example").Should().BeTrue();
        SecurityOutput.Matches(identity, "0123456789abcdef0123456789abcdef01234567").Should().BeTrue();
    }
}
