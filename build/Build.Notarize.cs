using Nuke.Common;

partial class Build
{
    // Skipping notarization must not skip what it depends on: NUKE's default for a target
    // skipped by a static condition is to skip its dependencies too, and Package needs Sign.
    Target Notarize => _ => _
        .Description("Submit the signed bundle to Apple's notary service and wait for the verdict")
        .DependsOn(Sign)
        .OnlyWhenStatic(() => !SkipNotarize)
        .WhenSkipped(DependencyBehavior.Execute)
        .Executes(() => Steps.NotarizeAsync());
}
