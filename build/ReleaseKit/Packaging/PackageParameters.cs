namespace ReleaseKit.Packaging;

/// <summary>How the tarball is written and signed, as typed (--gzip-level, --update-signing-key, ...).</summary>
public sealed record PackageParameters
{
    /// <summary>zlib level, 1 to 9; null for the measured default.</summary>
    public int? GzipLevel { get; init; }

    /// <summary>The minisign secret key that signs the tarball for the in-app updater: a file's path, or its content (a CI secret).</summary>
    public string? UpdateSigningKey { get; init; }

    public string? UpdateSigningKeyPassword { get; init; }

    /// <summary>The update public key (base64, the second line of minisign's .pub), which the app knows; Verify checks downloads with it.</summary>
    public string? UpdatePublicKey { get; init; }

    /// <summary>The values the tool runner masks.</summary>
    public IEnumerable<string?> Secrets => [UpdateSigningKey, UpdateSigningKeyPassword];

    private bool PrintMembers(System.Text.StringBuilder builder) =>
        Tooling.Redacted.PrintMembers(this, builder, nameof(UpdateSigningKey), nameof(UpdateSigningKeyPassword), nameof(Secrets));

    /// <summary>Also takes RELEASEKIT_GZIP_LEVEL, the name the benchmarks used before the parameter existed.</summary>
    public PackageParameters WithEnvironmentFallbacks(Func<string, string?> environment) =>
        this with { GzipLevel = GzipLevel ?? (int.TryParse(environment("RELEASEKIT_GZIP_LEVEL"), out var level) ? level : null) };
}
