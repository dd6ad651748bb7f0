using Nuke.Common;

partial class Build
{
    // With no R2 setting at all, a Release simply does not upload. Partial settings keep the
    // target scheduled, so the settings check reports what is missing instead of skipping.
    Target Upload => _ => _
        .Description("Upload the tgz, its .sha256 and manifest.json to Cloudflare R2")
        .DependsOn(Package)
        .OnlyWhenStatic(() => Steps.Settings.HasAnyR2Setting)
        .WhenSkipped(DependencyBehavior.Execute)
        .Executes(() => Steps.UploadAsync());
}
