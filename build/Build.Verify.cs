using Nuke.Common;
using ReleaseKit.Verification;

partial class Build
{
    [Parameter("The tarball Verify checks (default: artifacts/<AppName>-<Version>.tgz)")]
    readonly string Artifact;

    VerifyParameters VerifyParameters => new() { Artifact = Artifact };

    // Verify checks a tarball that already exists (nuke Verify --version 2.0.0b6), so it does
    // not depend on the release chain; it only runs after it when both are asked for.
    Target Verify => _ => _
        .Description("Extract artifacts/<AppName>-<Version>.tgz and check signatures, Gatekeeper and every Mach-O")
        .DependsOn(CheckSettings)
        .After(Package, Upload)
        .Executes(() => Steps.VerifyAsync());
}
