using Nuke.Common;
using ReleaseKit.Packaging;

partial class Build
{
    [Parameter("zlib level of the tarball, 1 (fastest) to 9 (smallest). Default: 5, measured best for a Python tree")]
    readonly int? GzipLevel;

    PackageParameters PackageParameters => new() { GzipLevel = GzipLevel };

    Target Package => _ => _
        .Description("Write artifacts/<AppName>-<Version>.tgz and its .sha256")
        .DependsOn(Notarize)
        .Produces(ArtifactsDirectory / "*.tgz", ArtifactsDirectory / "*.sha256", ArtifactsDirectory / "*.cdx.json")
        .Executes(() => Steps.PackageAsync());
}
