using Amazon.S3;
using ReleaseKit.Inventory;
using ReleaseKit.Packaging;
using ReleaseKit.Tooling;

namespace ReleaseKit.Publishing;

/// <summary>What Upload put into the bucket, and the channel it moved to this version (null when it names a newer one).</summary>
public sealed record UploadResult(IReadOnlyList<UploadedObject> Uploaded, string? Channel);

/// <summary>
/// The Upload stage: the tarball and the files Package wrote beside it, checked against the
/// tarball itself, then manifest.json, all under releases/&lt;version&gt;/; the release channel
/// moves last, so an updater sees the release only once every object is there.
/// </summary>
/// <param name="channelKey">Signs the channel pointer; null leaves it unsigned.</param>
public sealed class UploadStage(R2Options bucket, string appName, string version, MinisignKey? channelKey, Amazon.Runtime.HttpClientFactory? httpClientFactory = null)
{
    /// <param name="tarball">artifacts/&lt;AppName&gt;-&lt;Version&gt;.tgz; the SBOM, signature and manifest are its neighbours.</param>
    public async Task<UploadResult> RunAsync(string tarball, CancellationToken cancellationToken)
    {
        var checksum = ChecksumFile.Of(tarball);
        if (!File.Exists(tarball) || !File.Exists(checksum))
            throw new ReleaseException($"{tarball} and its .sha256 are not there to upload: run Package first");
        var artifacts = Path.GetDirectoryName(Path.GetFullPath(tarball))!;

        // What goes up is described by the tarball itself, never by the text of its .sha256, which may have been edited or belong to another build.
        var sha256 = await FileHash.Sha256Async(tarball, cancellationToken);
        var size = new FileInfo(tarball).Length;
        var listed = (await ChecksumFile.ReadAsync(checksum, cancellationToken)).ToLowerInvariant();
        if (listed != sha256)
            throw new ReleaseException($"{checksum} says {listed}, but the tarball's SHA-256 is {sha256}: nothing was uploaded. Run Package again, which writes both together");
        var sbom = SoftwareBillOfMaterials.Beside(tarball);
        if (File.Exists(sbom) && SoftwareBillOfMaterials.SubjectSha256(await File.ReadAllTextAsync(sbom, cancellationToken)) is { } subject && subject != sha256)
            throw new ReleaseException($"{sbom} describes a tarball with SHA-256 {subject}, not this one ({sha256}): nothing was uploaded. Run Package again, which writes both together");
        var signature = tarball + UpdateSignature.Extension;
        var signatureText = File.Exists(signature) ? await File.ReadAllTextAsync(signature, cancellationToken) : null;
        if (signatureText is not null && !signatureText.Contains($"\tsha256:{sha256}", StringComparison.Ordinal))
            throw new ReleaseException($"{signature} signs another build than this tarball ({sha256}): nothing was uploaded. Run Package again, which writes both together");
        var manifest = Path.Combine(artifacts, ReleaseManifest.FileName);
        await File.WriteAllTextAsync(manifest, new ReleaseManifest(appName, version, Path.GetFileName(tarball), size, sha256, DateTimeOffset.UtcNow)
        {
            Sbom = File.Exists(sbom) ? Path.GetFileName(sbom) : null,
            Signature = signatureText,
            KeyId = signatureText is null ? null : MinisignKey.KeyIdOf(signatureText),
        }.ToJson(), cancellationToken);

        var prefix = bucket.KeyPrefix(version);
        using var client = R2Client.Create(bucket.Target, httpClientFactory);
        var uploaded = await new R2Uploader(client, bucket.Target).UploadAsync(
        [
            new UploadItem(prefix + Path.GetFileName(tarball), tarball, "application/gzip", sha256),
            new UploadItem(prefix + Path.GetFileName(checksum), checksum, "text/plain"),
            .. File.Exists(sbom) ? new[] { new UploadItem(prefix + Path.GetFileName(sbom), sbom, "application/vnd.cyclonedx+json") } : [],
            .. signatureText is not null ? new[] { new UploadItem(prefix + Path.GetFileName(signature), signature, "text/plain") } : [],
            new UploadItem(prefix + ReleaseManifest.FileName, manifest, "application/json"),
        ], bucket.Force, cancellationToken);

        return new UploadResult(uploaded, await MoveChannelAsync(client, prefix + ReleaseManifest.FileName, await File.ReadAllBytesAsync(manifest, cancellationToken), cancellationToken));
    }

    /// <summary>
    /// Promote: moves the channel to a release already in the bucket, its manifest read back from
    /// there. The caller has verified the release as users download it.
    /// </summary>
    /// <returns>The channel's name.</returns>
    public async Task<string> PromoteAsync(CancellationToken cancellationToken)
    {
        var manifestKey = bucket.KeyPrefix(version) + ReleaseManifest.FileName;
        using var client = R2Client.Create(bucket.Target, httpClientFactory);
        using var manifest = new MemoryStream();
        if (!await BucketObject.CopyToAsync(client, bucket.Target.Bucket, manifestKey, manifest, progress: null, cancellationToken))
            throw new ReleaseException($"s3://{bucket.Target.Bucket}/{manifestKey} is not there: upload {version} before promoting it");

        return await MoveChannelAsync(client, manifestKey, manifest.ToArray(), cancellationToken)
            ?? throw new ReleaseException($"Channel {ReleaseChannel.For(Pep440Version.Parse(version), bucket.Channel)} names a newer release than {version}: pass --force-channel to move it back");
    }

    /// <summary>
    /// Moves this version's channel (stable or beta, or --channel) to its manifest, signed with the
    /// update key when there is one; the channel's name, or null when it names a newer release.
    /// </summary>
    private async Task<string?> MoveChannelAsync(IAmazonS3 client, string manifestKey, byte[] manifest, CancellationToken cancellationToken)
    {
        var parsed = Pep440Version.Parse(version);
        var channel = ReleaseChannel.For(parsed, bucket.Channel);
        Func<byte[], string, string>? sign = channelKey is null ? null : (bytes, comment) => channelKey.Sign(new MemoryStream(bytes), comment);
        return await new ReleaseChannel(client, bucket.Target).MoveAsync(channel, appName, parsed, manifestKey, manifest, sign, bucket.ForceChannel, cancellationToken)
            ? channel
            : null;
    }
}
