namespace ReleaseKit.Verification;

/// <summary>Which tarball Verify checks, as typed (--artifact, --from-r2, --release-url).</summary>
public sealed record VerifyParameters
{
    public string? Artifact { get; init; }

    /// <summary>Download the release from the bucket (the R2 settings) and check what users get.</summary>
    public bool FromR2 { get; init; }

    /// <summary>Download the release over HTTPS from this address in front of the bucket.</summary>
    public string? ReleaseUrl { get; init; }

    /// <summary>Where Verify writes its Mach-O preflight report as JSON; Sign's report (--preflight-json) is never overwritten.</summary>
    public string? VerifyPreflightJson { get; init; }
}
