using System.Net;
using Amazon.S3;

namespace ReleaseKit.Publishing;

/// <summary>Reads one object of the bucket, for Promote's manifest and for Verify of a release as users download it.</summary>
public static class BucketObject
{
    /// <summary>Copies the object into <paramref name="destination"/>; false when the bucket has no such key.</summary>
    /// <param name="progress">Called with the bytes received so far and the object's size after each chunk.</param>
    public static async Task<bool> CopyToAsync(IAmazonS3 s3, string bucket, string key, Stream destination, Action<long, long>? progress, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key, cancellationToken);
            var buffer = new byte[1 << 20];
            long received = 0;
            int read;
            while ((read = await response.ResponseStream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                received += read;
                progress?.Invoke(received, response.ContentLength);
            }

            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
