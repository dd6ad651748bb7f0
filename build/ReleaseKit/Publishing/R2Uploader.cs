using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Publishing;

/// <param name="Sha256">The file's SHA-256 when the caller already computed it; otherwise the uploader hashes the file.</param>
public sealed record UploadItem(string Key, string File, string ContentType, string? Sha256 = null);

public sealed record UploadedObject(string Key, long Size, string Sha256, string Url);

/// <summary>
/// Puts release files into an R2 bucket without ever replacing one by accident: a HEAD check
/// before anything is sent (some S3 servers ignore conditions), then If-None-Match: * on every
/// write R2 supports it on. Large files go up as parallel multipart uploads that are aborted
/// on failure; every key this run attempted is taken back if the upload does not complete
/// (also after Ctrl-C, or when a response was lost after the object landed), except a key someone
/// else wrote meanwhile: removed, or with --force-upload copied back from the server-side copy
/// made before it was replaced, so the bucket ends with the whole old release or the whole new
/// one. Every object is checked with HEAD afterwards.
/// </summary>
public sealed class R2Uploader(IAmazonS3 s3, R2Target target)
{
    /// <summary>
    /// Below this, one PUT: it measured faster than parallel parts for a release-sized tarball
    /// (no part bookkeeping, no server-side reassembly), and R2 takes single PUTs up to 4.995 GiB.
    /// Re-measure against R2 itself, where parallel parts may win over a long network path.
    /// </summary>
    public long MultipartThreshold { get; init; } = 256L << 20;

    public int PartSize { get; init; } = 8 << 20;

    public int Concurrency { get; init; } = 4;

    public int MaxAttempts { get; init; } = 4;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<UploadedObject>> UploadAsync(IReadOnlyList<UploadItem> items, bool force, CancellationToken cancellationToken)
    {
        var existing = new List<string>();
        foreach (var item in items)
        {
            if (await ExistsAsync(item.Key, cancellationToken))
                existing.Add(item.Key);
        }

        if (!force && existing.Count > 0)
            throw new ReleaseException($"{string.Join(", ", existing)} already exist(s) in bucket {target.Bucket}: nothing was uploaded. Use a new version, or pass --force-upload to replace them");

        // Replacing a release: a server-side copy of each object first, so a failure halfway can
        // put the old release back whole instead of leaving new and old objects side by side.
        var backups = new Dictionary<string, string>();
        // Recorded before the first byte is sent: an object may land although its response is
        // lost or Ctrl-C arrives first, and the HEAD check above showed every one of these keys free.
        var attempted = new List<string>();
        var current = "";
        try
        {
            var run = $"{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid():N}"[..24];
            foreach (var key in existing)
            {
                current = key;
                var backup = $"{BackupPrefix}{run}/{key}";
                await CopyAsync(key, backup, cancellationToken);
                backups[key] = backup;
            }

            var uploaded = new List<UploadedObject>();
            foreach (var item in items)
            {
                current = item.Key;
                var sha256 = item.Sha256 ?? await FileHash.Sha256Async(item.File, cancellationToken);
                var size = new FileInfo(item.File).Length;
                attempted.Add(item.Key);
                try
                {
                    if (size >= MultipartThreshold)
                        await PutMultipartAsync(item, sha256, size, force, cancellationToken);
                    else
                        await PutAsync(item, sha256, force, cancellationToken);
                }
                catch (ObjectAppearedException)
                {
                    attempted.Remove(item.Key);
                    throw;
                }

                uploaded.Add(new UploadedObject(item.Key, size, sha256, $"{target.Endpoint.TrimEnd('/')}/{target.Bucket}/{item.Key}"));
            }

            foreach (var upload in uploaded)
            {
                current = upload.Key;
                await VerifyAsync(upload, cancellationToken);
            }

            foreach (var upload in uploaded)
                Log.Information("Uploaded {Url} ({Size}, sha256 {Sha256})", upload.Url, ByteSize.Format(upload.Size), upload.Sha256);
            foreach (var backup in backups.Values)
                await DeleteQuietlyAsync(backup, "the copy of the replaced object");
            return uploaded;
        }
        catch (Exception exception) when (attempted.Count > 0 || backups.Count > 0)
        {
            // A half-published release is worse than none, and a mix of two is worse still.
            var state = await RollBackAsync(attempted, backups);
            if (exception is OperationCanceledException)
            {
                Log.Warning("{State}", state);
                throw;
            }

            throw new ReleaseException($"Uploading to bucket {target.Bucket} failed at {current}: {Reason(exception)}. {state}", exception);
        }
        catch (Exception exception) when (exception is AmazonServiceException or HttpRequestException or IOException)
        {
            throw new ReleaseException($"Uploading to bucket {target.Bucket} failed at {current}: {Reason(exception)}. Nothing was sent, so the bucket is as it was", exception);
        }
    }

    /// <summary>Where the copies of replaced objects wait until the upload is complete, apart from any release folder.</summary>
    public const string BackupPrefix = ".releasekit-replaced/";

    private static string Reason(Exception exception) => exception switch
    {
        AmazonServiceException service => $"{(int)service.StatusCode} {service.ErrorCode}: {service.Message}",
        _ => exception.Message,
    };

    /// <summary>Takes back every key this run wrote: the old object copied back where there was one, removed where there was none. Says what the bucket holds afterwards.</summary>
    private async Task<string> RollBackAsync(IReadOnlyList<string> attempted, IReadOnlyDictionary<string, string> backups)
    {
        var restored = new List<string>();
        var removed = new List<string>();
        var stuck = new List<string>();
        foreach (var key in attempted)
        {
            try
            {
                if (backups.TryGetValue(key, out var backup))
                {
                    await CopyAsync(backup, key, CancellationToken.None);
                    restored.Add(key);
                }
                else
                {
                    await s3.DeleteObjectAsync(target.Bucket, key, CancellationToken.None);
                    removed.Add(key);
                }
            }
            catch (Exception exception) when (exception is AmazonServiceException or HttpRequestException or IOException)
            {
                stuck.Add(backups.TryGetValue(key, out var backup)
                    ? $"{key} (copy it back from {backup}: {exception.Message})"
                    : $"{key} (delete it by hand: {exception.Message})");
            }
        }

        foreach (var (key, backup) in backups)
        {
            if (!stuck.Any(x => x.StartsWith(key + " ", StringComparison.Ordinal)))
                await DeleteQuietlyAsync(backup, "the copy of the replaced object");
        }

        var parts = new List<string>();
        if (restored.Count > 0)
            parts.Add($"restored the previous {string.Join(", ", restored)}");
        if (removed.Count > 0)
            parts.Add($"removed {string.Join(", ", removed)}, which this run had added");
        if (stuck.Count > 0)
            return $"The bucket is NOT as it was: {string.Join("; ", parts.Append($"could not take back {string.Join("; ", stuck)}"))}";
        foreach (var line in parts)
            Log.Warning("Upload failed: {Action}", line);
        return parts.Count == 0 ? "The bucket is as it was" : $"The bucket is as it was: {string.Join("; ", parts)}";
    }

    private async Task CopyAsync(string from, string to, CancellationToken cancellationToken) =>
        await WithRetries($"CopyObject {from} to {to}", () => s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = target.Bucket,
            SourceKey = from,
            DestinationBucket = target.Bucket,
            DestinationKey = to,
            MetadataDirective = S3MetadataDirective.COPY,
        }, cancellationToken), cancellationToken);

    private async Task DeleteQuietlyAsync(string key, string what)
    {
        try
        {
            await s3.DeleteObjectAsync(target.Bucket, key, CancellationToken.None);
        }
        catch (Exception exception) when (exception is AmazonServiceException or HttpRequestException or IOException)
        {
            Log.Warning("Could not remove {What} {Key} ({Reason}): delete it by hand", what, key, exception.Message);
        }
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await WithRetries($"HEAD {key}", () => s3.GetObjectMetadataAsync(target.Bucket, key, cancellationToken), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// A 412 on a retry may answer our own earlier attempt, whose response was lost after the
    /// object landed: the object is ours when it carries our SHA-256.
    /// </summary>
    private async Task WhenNotOurs(UploadItem item, string sha256, Func<Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write();
        }
        catch (ObjectAppearedException)
        {
            if (!await HoldsAsync(item.Key, sha256, cancellationToken))
                throw;
            Log.Information("{Key} landed on an earlier attempt whose answer was lost", item.Key);
        }
    }

    private async Task<bool> HoldsAsync(string key, string sha256, CancellationToken cancellationToken)
    {
        try
        {
            var head = await WithRetries($"HEAD {key}", () => s3.GetObjectMetadataAsync(target.Bucket, key, cancellationToken), cancellationToken);
            return head.Metadata["x-amz-meta-sha256"] == sha256;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private Task PutAsync(UploadItem item, string sha256, bool force, CancellationToken cancellationToken) =>
        WhenNotOurs(item, sha256, () => PutOnceAsync(item, sha256, force, cancellationToken), cancellationToken);

    private async Task PutOnceAsync(UploadItem item, string sha256, bool force, CancellationToken cancellationToken)
    {
        var md5 = await FileHash.Md5Async(item.File, cancellationToken);
        await WithRetries($"PUT {item.Key}", async () =>
        {
            await using var body = new FileStream(item.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            var request = new PutObjectRequest
            {
                BucketName = target.Bucket,
                Key = item.Key,
                InputStream = body,
                ContentType = item.ContentType,
                MD5Digest = Convert.ToBase64String(Convert.FromHexString(md5)),
                DisablePayloadSigning = true,
                DisableDefaultChecksumValidation = true,
                IfNoneMatch = force ? null : "*",
            };
            request.Metadata["sha256"] = sha256;
            return await s3.PutObjectAsync(request, cancellationToken);
        }, cancellationToken);
    }

    private async Task PutMultipartAsync(UploadItem item, string sha256, long size, bool force, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = target.Bucket, Key = item.Key, ContentType = item.ContentType };
        initiate.Metadata["sha256"] = sha256;
        if (!force)
            initiate.Headers["If-None-Match"] = "*";
        var uploadId = (await WithRetries($"CreateMultipartUpload {item.Key}", () => s3.InitiateMultipartUploadAsync(initiate, cancellationToken), cancellationToken)).UploadId;

        try
        {
            var count = (int)((size + PartSize - 1) / PartSize);
            var etags = new PartETag[count];
            var progress = new UploadProgress(item.Key, size);
            using var slots = new SemaphoreSlim(Concurrency);
            await Task.WhenAll(Enumerable.Range(1, count).Select(async number =>
            {
                await slots.WaitAsync(cancellationToken);
                try
                {
                    etags[number - 1] = await PutPartAsync(item, uploadId, number, size, cancellationToken);
                    progress.Add(Math.Min(PartSize, size - (long)(number - 1) * PartSize));
                }
                finally
                {
                    slots.Release();
                }
            }));

            var complete = new CompleteMultipartUploadRequest
            {
                BucketName = target.Bucket,
                Key = item.Key,
                UploadId = uploadId,
                PartETags = etags.ToList(),
                IfNoneMatch = force ? null : "*",
            };
            await WhenNotOurs(item, sha256, () => WithRetries($"CompleteMultipartUpload {item.Key}", () => s3.CompleteMultipartUploadAsync(complete, cancellationToken), cancellationToken), cancellationToken);
        }
        catch
        {
            // Parts of an unfinished upload are billed and invisible: never leave them behind.
            try
            {
                await s3.AbortMultipartUploadAsync(target.Bucket, item.Key, uploadId, CancellationToken.None);
                Log.Warning("Aborted the multipart upload of {Key}", item.Key);
            }
            catch (Exception exception) when (exception is AmazonServiceException or HttpRequestException or IOException)
            {
                Log.Error("Could not abort the multipart upload {UploadId} of {Key} ({Reason}): abort it by hand with aws s3api abort-multipart-upload",
                    uploadId, item.Key, exception.Message);
            }
            throw;
        }
    }

    private async Task<PartETag> PutPartAsync(UploadItem item, string uploadId, int number, long size, CancellationToken cancellationToken)
    {
        var offset = (long)(number - 1) * PartSize;
        var buffer = new byte[(int)Math.Min(PartSize, size - offset)];
        await using (var file = File.OpenRead(item.File))
        {
            file.Position = offset;
            await file.ReadExactlyAsync(buffer, cancellationToken);
        }

        var md5 = Convert.ToBase64String(MD5.HashData(buffer));
        var response = await WithRetries($"UploadPart {item.Key} #{number}", () => s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = target.Bucket,
            Key = item.Key,
            UploadId = uploadId,
            PartNumber = number,
            InputStream = new MemoryStream(buffer, writable: false),
            PartSize = buffer.Length,
            MD5Digest = md5,
            DisablePayloadSigning = true,
            DisableDefaultChecksumValidation = true,
        }, cancellationToken), cancellationToken);
        return new PartETag(number, response.ETag);
    }

    /// <summary>What a release server must hold: the size, our SHA-256, and a plain (not aws-chunked) body.</summary>
    private async Task VerifyAsync(UploadedObject upload, CancellationToken cancellationToken)
    {
        var head = await WithRetries($"HEAD {upload.Key}", () => s3.GetObjectMetadataAsync(target.Bucket, upload.Key, cancellationToken), cancellationToken);
        var problems = new List<string>();
        if (head.ContentLength != upload.Size)
            problems.Add($"size {head.ContentLength} instead of {upload.Size}");
        if (head.Metadata["x-amz-meta-sha256"] != upload.Sha256)
            problems.Add($"sha256 metadata '{head.Metadata["x-amz-meta-sha256"]}' instead of {upload.Sha256}");
        if (head.Headers.ContentEncoding?.Contains("aws-chunked", StringComparison.OrdinalIgnoreCase) == true)
            problems.Add("Content-Encoding aws-chunked (the body was stored with its signing chunks)");
        if (problems.Count > 0)
            throw new ReleaseException($"{upload.Url} does not hold what was uploaded: {string.Join("; ", problems)}");
    }

    private async Task<T> WithRetries<T>(string operation, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await Retry.RunAsync(operation, action, exception => IsTransient(exception, cancellationToken), MaxAttempts, FirstRetryDelay, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // The HEAD check said the key was free; someone wrote it since.
            throw new ObjectAppearedException($"{operation} refused with 412 Precondition Failed: the object appeared in bucket {target.Bucket} during this upload. Nothing was replaced; check who else publishes this version, or pass --force-upload", exception);
        }
    }

    private sealed class ObjectAppearedException(string message, Exception inner) : ReleaseException(message, inner);

    private static bool IsTransient(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception switch
        {
            AmazonServiceException service => (int)service.StatusCode >= 500 || service.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
            HttpRequestException or IOException or TaskCanceledException => true,
            _ => false,
        };

    private sealed class UploadProgress(string key, long total)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _sent;

        public void Add(long bytes)
        {
            var sent = Interlocked.Add(ref _sent, bytes);
            Log.Information("Uploading {Key}: {Sent} of {Total} ({Percent:0}%), {Rate}/s",
                key, ByteSize.Format(sent), ByteSize.Format(total), 100.0 * sent / total, ByteSize.Format(sent / Math.Max(_clock.Elapsed.TotalSeconds, 0.001)));
        }
    }
}
