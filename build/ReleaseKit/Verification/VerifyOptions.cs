using ReleaseKit.MachO;
using ReleaseKit.Settings;
using ReleaseKit.Signing;

namespace ReleaseKit.Verification;

/// <summary>Verify's options, parsed once: the tarball, and what its signatures must show.</summary>
/// <param name="Artifact">The tarball to check; null for artifacts/&lt;AppName&gt;-&lt;Version&gt;.tgz.</param>
/// <param name="Mode">Release for a Developer ID build, Local for an ad-hoc one (SIGN_ID=-).</param>
public sealed record VerifyOptions(string? Artifact, PreflightMode Mode, bool LibraryValidation, string? PreflightJson)
{
    /// <param name="signing">The signing settings the release was built with: Verify expects what they produce, and needs none of them set.</param>
    /// <param name="onMacOS">Gatekeeper and signature checks need macOS's xattr, spctl and codesign.</param>
    public static Parsed<VerifyOptions> Parse(VerifyParameters parameters, SigningParameters signing, bool onMacOS) =>
        Parsed.Valid(
            new VerifyOptions(
                SettingText.FirstSet(parameters.Artifact),
                signing.Identity is { IsAdHoc: true } ? PreflightMode.Local : PreflightMode.Release,
                signing.LibraryValidation,
                SettingText.FirstSet(signing.PreflightJson)),
            onMacOS ? ["xattr", "spctl", "codesign"] : []);
}
