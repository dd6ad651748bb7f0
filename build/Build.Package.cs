using Nuke.Common;
using ReleaseKit.Packaging;

partial class Build
{
    [Parameter("zlib level of the tarball, 1 (fastest) to 9 (smallest). Default: 5, measured best for a Python tree")]
    readonly int? GzipLevel;

    [Parameter("minisign secret key that signs the tarball for the in-app updater (minisign -G): its path, or its content as a CI secret"), Secret]
    readonly string UpdateSigningKey;

    [Parameter("Password of UPDATE_SIGNING_KEY (none for a key made with minisign -G -W)"), Secret]
    readonly string UpdateSigningKeyPassword;

    [Parameter("The update public key the app checks downloads with (the second line of minisign's .pub); keep it in .nuke/parameters.json")]
    readonly string UpdatePublicKey;

    PackageParameters PackageParameters => new()
    {
        UpdatePublicKey = UpdatePublicKey,
        GzipLevel = GzipLevel,
        UpdateSigningKey = UpdateSigningKey,
        UpdateSigningKeyPassword = UpdateSigningKeyPassword,
    };

    Target Package => _ => _
        .Description("Write artifacts/<AppName>-<Version>.tgz, its .sha256, its SBOM and, with UPDATE_SIGNING_KEY, its .minisig")
        .DependsOn(Notarize)
        .Produces(ArtifactsDirectory / "*.tgz", ArtifactsDirectory / "*.sha256", ArtifactsDirectory / "*.cdx.json", ArtifactsDirectory / "*.minisig")
        .Executes(() => Pipeline.PackageAsync());
}
