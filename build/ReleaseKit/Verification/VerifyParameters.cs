namespace ReleaseKit.Verification;

/// <summary>Which tarball Verify checks, as typed (--artifact).</summary>
public sealed record VerifyParameters
{
    public string? Artifact { get; init; }
}
