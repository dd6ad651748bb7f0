using Amazon.Runtime;
using Amazon.S3;

namespace ReleaseKit.Publishing;

public sealed record R2Target(string Endpoint, string Bucket, string AccessKeyId, string SecretAccessKey)
{
    private bool PrintMembers(System.Text.StringBuilder builder) => Tooling.Redacted.PrintMembers(this, builder, nameof(SecretAccessKey));
}

/// <summary>
/// An S3 client configured the way Cloudflare R2 accepts it with AWSSDK.S3 4.x. The SDK's defaults
/// (streaming SigV4 chunked bodies, CRC32 full-object checksums) are rejected by R2
/// ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD not implemented"; Cloudflare's R2 page for aws-sdk-net,
/// aws/aws-sdk-net#3610). Uploads additionally set DisablePayloadSigning and
/// DisableDefaultChecksumValidation per request: there is no client-wide switch.
/// </summary>
public static class R2Client
{
    public static AmazonS3Client Create(R2Target target, HttpClientFactory? httpClientFactory = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = target.Endpoint,
            AuthenticationRegion = "auto",
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // The SDK copies request bodies through this buffer (8 KB by default): small TLS writes.
            BufferSize = 1 << 20,
            // R2Uploader retries with its own policy (Tooling/Retry); the SDK's own retries (4 by
            // default) would multiply with it, 25 requests where 5 were meant, and hide each failure.
            MaxErrorRetry = 0,
        };
        if (httpClientFactory is not null)
            config.HttpClientFactory = httpClientFactory;
        return new AmazonS3Client(new BasicAWSCredentials(target.AccessKeyId, target.SecretAccessKey), config);
    }
}
