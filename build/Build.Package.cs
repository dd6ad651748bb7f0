using Nuke.Common;

partial class Build
{
    Target Package => _ => _
        .Description("Write artifacts/<AppName>-<Version>.tgz and its .sha256")
        .DependsOn(Notarize)
        .Produces(ArtifactsDirectory / "*.tgz", ArtifactsDirectory / "*.sha256", ArtifactsDirectory / "*.cdx.json")
        .Executes(() => Steps.PackageAsync());
}
