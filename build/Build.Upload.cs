using Nuke.Common;
using ReleaseKit.Publishing;

partial class Build
{
    // NUKE would spell R2AccessKeyId as --r2access-key-id (a digit ends no word); the dashed names
    // give --r2-access-key-id, and R2_ACCESS_KEY_ID still binds (NUKE ignores '-', '_' and case).
    [Parameter("Cloudflare R2 access key id; Upload runs when all R2 settings are set", Name = "R2-Access-Key-Id")]
    readonly string R2AccessKeyId;

    [Parameter("Cloudflare R2 secret access key", Name = "R2-Secret-Access-Key"), Secret]
    readonly string R2SecretAccessKey;

    [Parameter("Cloudflare R2 bucket", Name = "R2-Bucket")]
    readonly string R2Bucket;

    [Parameter("Cloudflare R2 S3 endpoint, https://<ACCOUNT_ID>.r2.cloudflarestorage.com", Name = "R2-Endpoint")]
    readonly string R2Endpoint;

    [Parameter("Key prefix in the bucket. Default: releases/<version>/", Name = "R2-Path")]
    readonly string R2Path;

    [Parameter("Replace objects that already exist in R2 (by default an existing key stops the upload)")]
    readonly bool ForceUpload;

    [Parameter("Release channel Upload moves to this version (releases/channels/<channel>.json). Default: stable for a final version, beta for a pre-release")]
    readonly string Channel;

    [Parameter("Move the channel even to a version older than the one it names")]
    readonly bool ForceChannel;

    R2Parameters R2Parameters => new()
    {
        R2AccessKeyId = R2AccessKeyId,
        R2SecretAccessKey = R2SecretAccessKey,
        R2Bucket = R2Bucket,
        R2Endpoint = R2Endpoint,
        R2Path = R2Path,
        ForceUpload = ForceUpload,
        Channel = Channel,
        ForceChannel = ForceChannel,
    };

    // Not part of a Release: a channel moves to an older release, or out of beta, by hand.
    Target Promote => _ => _
        .Description("Move a release channel to an uploaded release once it verifies from the bucket: Promote --version V --channel C")
        .DependsOn(CheckSettings)
        .Executes(() => Pipeline.PromoteAsync());

    // With no R2 setting at all, a Release simply does not upload. Partial settings keep the
    // target scheduled, so the settings check reports what is missing instead of skipping.
    Target Upload => _ => _
        .Description("Upload the tgz, its .sha256, SBOM, signature and manifest.json to Cloudflare R2, then move the release channel")
        // CheckSettings directly too: the release workflow's last step runs Upload with the chain skipped.
        .DependsOn(CheckSettings, Package)
        .OnlyWhenStatic(() => Pipeline.Options.UploadConfigured)
        .WhenSkipped(DependencyBehavior.Execute)
        .Executes(() => Pipeline.UploadAsync());
}
