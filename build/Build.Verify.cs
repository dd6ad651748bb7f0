using Nuke.Common;
using ReleaseKit.Verification;

partial class Build
{
    [Parameter("The tarball Verify checks (default: artifacts/<AppName>-<Version>.tgz)")]
    readonly string Artifact;

    [Parameter("Download the release from the R2 bucket and check what users get (needs the R2 settings and UPDATE_PUBLIC_KEY)")]
    readonly bool FromR2;

    [Parameter("Download the release over HTTPS from this address in front of the bucket and check it (needs UPDATE_PUBLIC_KEY)")]
    readonly string ReleaseUrl;

    [Parameter("Write Verify's Mach-O preflight report as JSON to this file (Sign's is --preflight-json)")]
    readonly string VerifyPreflightJson;

    VerifyParameters VerifyParameters => new() { Artifact = Artifact, FromR2 = FromR2, ReleaseUrl = ReleaseUrl, VerifyPreflightJson = VerifyPreflightJson };

    // Verify checks a tarball that already exists (nuke Verify --version 2.0.0b6), so it does
    // not depend on the release chain; it only runs after it when both are asked for.
    Target Verify => _ => _
        .Description("Extract artifacts/<AppName>-<Version>.tgz and check signatures, Gatekeeper and every Mach-O")
        .DependsOn(CheckSettings)
        .After(Package, Upload)
        .Executes(() => Pipeline.VerifyAsync());
}
