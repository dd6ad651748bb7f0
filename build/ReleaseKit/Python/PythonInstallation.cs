namespace ReleaseKit.Python;

/// <summary>The Python that goes into the bundle.</summary>
/// <param name="Directory">Its home: the folder holding bin/ and lib/.</param>
/// <param name="Interpreter">bin/python3 inside it.</param>
/// <param name="Version">Major.minor, read from its lib/pythonX.Y folder (e.g. "3.12").</param>
/// <param name="Origin">How it was chosen, for the log and the release summary.</param>
public sealed record PythonInstallation(string Directory, string Interpreter, string Version, string Origin)
{
    /// <summary>The python-build-standalone archive it was unpacked from, when it was downloaded.</summary>
    public string? ArchiveUrl { get; init; }

    public string? ArchiveSha256 { get; init; }
}
