using ReleaseKit.MachO;
using ReleaseKit.Packaging;
using ReleaseKit.Publishing;
using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tooling;

namespace ReleaseKit.Verification;

/// <summary>Where Verify downloads a published release from, and the key its signature must verify with.</summary>
/// <param name="Bucket">The bucket (--from-r2), or null for <paramref name="Url"/>.</param>
/// <param name="Url">The public address in front of the bucket (--release-url), with a trailing '/'.</param>
public sealed record PublishedRelease(R2Options? Bucket, Uri? Url, string PublicKey);

/// <summary>Verify's options, parsed once: the tarball, and what its signatures must show.</summary>
/// <param name="Artifact">The tarball to check; null for artifacts/&lt;AppName&gt;-&lt;Version&gt;.tgz.</param>
/// <param name="Mode">Release for a Developer ID build, Local for an ad-hoc one (SIGN_ID=-).</param>
/// <param name="Published">Download the release users get and check it first; null checks the local tarball.</param>
public sealed record VerifyOptions(string? Artifact, PreflightMode Mode, bool LibraryValidation, string? PreflightJson, PublishedRelease? Published = null)
{
    /// <param name="identity">What the release was signed with, when set: an ad-hoc build is checked as a local one. Verify needs none.</param>
    /// <param name="libraryValidation">What Sign's entitlements say about library validation.</param>
    /// <param name="updatePublicKey">The key a downloaded release must verify with (UPDATE_PUBLIC_KEY).</param>
    /// <param name="upload">Upload's options, parsed once: the bucket, with --from-r2.</param>
    /// <param name="onMacOS">Gatekeeper and signature checks need macOS's xattr, spctl and codesign.</param>
    public static Parsed<VerifyOptions> Parse(VerifyParameters parameters, SigningIdentity? identity, bool libraryValidation, string? updatePublicKey, Parsed<R2Options> upload, bool onMacOS)
    {
        ExternalTool[] tools = onMacOS ? [Xattr.Tool, Spctl.Tool, Codesign.Tool] : [];
        var problems = new List<string>();
        PublishedRelease? published = null;
        var url = SettingText.FirstSet(parameters.ReleaseUrl);
        if (parameters.FromR2 || url is not null)
        {
            var publicKey = SettingText.FirstSet(updatePublicKey);
            if (publicKey is null)
                problems.Add($"Verifying a published release needs {SettingName.Describe(nameof(PackageParameters.UpdatePublicKey))}, the public key the app checks updates with (the second line of minisign's .pub)");
            R2Options? bucket = null;
            Uri? address = null;
            if (parameters.FromR2 && url is not null)
                problems.Add($"{SettingName.Describe(nameof(parameters.FromR2))} and {SettingName.Describe(nameof(parameters.ReleaseUrl))} both name where to download from: give one");
            else if (parameters.FromR2)
            {
                problems.AddRange(upload.Problems);
                bucket = upload.ValueOrNull;
            }
            else if (!Uri.TryCreate(url!.EndsWith('/') ? url : url + "/", UriKind.Absolute, out address) ||
                     !(address.Scheme == Uri.UriSchemeHttps || address.Scheme == Uri.UriSchemeHttp && address.IsLoopback))
                problems.Add($"{SettingName.Describe(nameof(parameters.ReleaseUrl))} must be an https:// address (http:// only to 127.0.0.1), got '{url}'");

            if (publicKey is not null && (bucket is not null || address is not null))
                published = new PublishedRelease(bucket, address, publicKey);
        }

        if (problems.Count > 0)
            return Parsed.Invalid<VerifyOptions>(problems, tools);
        return Parsed.Valid(
            new VerifyOptions(
                SettingText.FirstSet(parameters.Artifact),
                identity is { IsAdHoc: true } ? PreflightMode.Local : PreflightMode.Release,
                libraryValidation,
                SettingText.FirstSet(parameters.VerifyPreflightJson),
                published),
            tools);
    }
}
