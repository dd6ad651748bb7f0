using Nuke.Common;
using ReleaseKit.Notarization;

partial class Build
{
    [Parameter("Skip notarization (dry run); the release summary says 'not notarized'")]
    readonly bool SkipNotarize;

    [Parameter("Apple ID used by notarytool")]
    readonly string AppleId;

    [Parameter("Apple developer team ID used by notarytool")]
    readonly string AppleTeamId;

    [Parameter("App-specific password of the Apple ID used by notarytool"), Secret]
    readonly string AppleAppSpecificPassword;

    [Parameter("notarytool keychain profile (made with 'xcrun notarytool store-credentials'), instead of an Apple ID or API key")]
    readonly string NotaryKeychainProfile;

    [Parameter("App Store Connect API key for notarytool: the AuthKey_<KEYID>.p8 file, or its content (a CI secret)"), Secret]
    readonly string NotaryKey;

    [Parameter("Key ID of the App Store Connect API key")]
    readonly string NotaryKeyId;

    [Parameter("Issuer ID (UUID) of a team App Store Connect API key; leave unset for an individual key")]
    readonly string NotaryIssuer;

    [Parameter($"How long notarytool waits for Apple's verdict: {NotaryOptions.DefaultTimeout} (default), 90m or seconds")]
    readonly string NotaryTimeout;

    [Parameter("Wait on this earlier submission instead of uploading again (printed by a timed-out Notarize)")]
    readonly string NotarySubmissionId;

    NotaryParameters NotaryParameters => new()
    {
        SkipNotarize = SkipNotarize,
        AppleId = AppleId,
        AppleTeamId = AppleTeamId,
        AppleAppSpecificPassword = AppleAppSpecificPassword,
        NotaryKeychainProfile = NotaryKeychainProfile,
        NotaryKey = NotaryKey,
        NotaryKeyId = NotaryKeyId,
        NotaryIssuer = NotaryIssuer,
        NotaryTimeout = NotaryTimeout,
        NotarySubmissionId = NotarySubmissionId,
    };

    // Skipping notarization must not skip what it depends on: NUKE's default for a target
    // skipped by a static condition is to skip its dependencies too, and Package needs Sign.
    Target Notarize => _ => _
        .Description("Submit the signed bundle to Apple's notary service and wait for the verdict")
        .DependsOn(Sign)
        .OnlyWhenStatic(() => !SkipNotarize)
        .WhenSkipped(DependencyBehavior.Execute)
        .Executes(() => Pipeline.NotarizeAsync());
}
