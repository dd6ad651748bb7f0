using Nuke.Common;
using ReleaseKit.Signing;

partial class Build
{
    [Parameter("codesign identity, e.g. 'Developer ID Application: Name (TEAMID)'; '-' signs ad-hoc. Falls back to CSC_NAME")]
    readonly string SignId;

    [Parameter("How many codesign processes run at a time (each waits on Apple's timestamp server)")]
    readonly int SignParallelism = SigningParameters.DefaultSignParallelism;

    [Parameter("Add com.apple.security.cs.disable-library-validation to the entitlements (default true; --disable-libval false to drop it)")]
    readonly bool DisableLibval = SigningParameters.DefaultDisableLibval;

    [Parameter("Extra entitlements plist merged into the generated one for the executables")]
    readonly string Entitlements;

    [Parameter("Write Sign's Mach-O preflight report as JSON to this file")]
    readonly string PreflightJson;

    SigningParameters SigningParameters => new()
    {
        SignId = SignId,
        SignParallelism = SignParallelism,
        DisableLibval = DisableLibval,
        Entitlements = Entitlements,
        PreflightJson = PreflightJson,
    };

    Target Sign => _ => _
        .Description("Sign every Mach-O with hardened runtime and a secure timestamp, then preflight")
        .DependsOn(Bundle)
        .Executes(() => Pipeline.SignAsync());
}
