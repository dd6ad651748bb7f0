namespace ReleaseKit.Python;

/// <summary>Where the bundle's Python comes from, as typed (--embedded-python, --cpython-url, ...).</summary>
public sealed record PythonParameters
{
    public string? EmbeddedPython { get; init; }
    public string? CpythonUrl { get; init; }
    public string? CpythonSha256 { get; init; }
    public bool AllowForeignPython { get; init; }
}
