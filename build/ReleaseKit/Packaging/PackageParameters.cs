namespace ReleaseKit.Packaging;

/// <summary>How the tarball is written, as typed (--gzip-level).</summary>
public sealed record PackageParameters
{
    /// <summary>zlib level, 1 to 9; null for the measured default.</summary>
    public int? GzipLevel { get; init; }

    /// <summary>Also takes RELEASEKIT_GZIP_LEVEL, the name the benchmarks used before the parameter existed.</summary>
    public PackageParameters WithEnvironmentFallbacks(Func<string, string?> environment) =>
        this with { GzipLevel = GzipLevel ?? (int.TryParse(environment("RELEASEKIT_GZIP_LEVEL"), out var level) ? level : null) };
}
