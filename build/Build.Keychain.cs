using Nuke.Common;
using ReleaseKit.Signing;

partial class Build
{
    [Parameter("Base64 of the Developer ID .p12, imported into a temporary keychain on CI"), Secret]
    readonly string MacosCertP12;

    [Parameter("Password of the MACOS_CERT_P12 certificate"), Secret]
    readonly string MacosCertPassword;

    CertificateParameters CertificateParameters => new() { MacosCertP12 = MacosCertP12, MacosCertPassword = MacosCertPassword };

    // Before FetchPython, which already signs the interpreter with SIGN_ID on macOS. Without
    // MACOS_CERT_P12 the login keychain is used and this is skipped, but not what it depends on.
    Target ImportCertificate => _ => _
        .Description("Import MACOS_CERT_P12 into a temporary keychain that codesign can use without a prompt (CI)")
        .DependsOn(CheckSettings)
        .OnlyWhenStatic(() => Pipeline.Options.ImportsCertificate)
        .WhenSkipped(DependencyBehavior.Execute)
        .Executes(() => Pipeline.ImportCertificateAsync());

    // Scheduled whenever ImportCertificate is, and run last even when a step failed or the build
    // was cancelled (NUKE runs assured targets from its Ctrl-C handler too). With nothing imported
    // it has nothing to do; `nuke CleanupKeychain` alone removes what a killed run left behind.
    Target CleanupKeychain => _ => _
        .Description("Delete the temporary signing keychain and restore the keychain search list")
        .TriggeredBy(ImportCertificate)
        .After(Release, Verify)
        .AssuredAfterFailure()
        .Executes(() => Pipeline.CleanupKeychainAsync());
}
