using Nuke.Common;
using ReleaseKit.Python;

partial class Build
{
    [Parameter("Use this Python (its folder or bin/python3) instead of ./python or a download")]
    readonly string EmbeddedPython;

    [Parameter("Download python-build-standalone from this URL into ./python")]
    readonly string CpythonUrl;

    [Parameter("Expected SHA-256 of the --cpython-url archive. Default: the release's SHA256SUMS")]
    readonly string CpythonSha256;

    [Parameter("Accept a Python that is not an arm64 macOS binary (a warning instead of an error), for local experiments on Linux")]
    readonly bool AllowForeignPython;

    PythonParameters PythonParameters => new()
    {
        EmbeddedPython = EmbeddedPython,
        CpythonUrl = CpythonUrl,
        CpythonSha256 = CpythonSha256,
        AllowForeignPython = AllowForeignPython,
    };

    Target FetchPython => _ => _
        .Description("Resolve the embedded Python: --embedded-python, --cpython-url download, or ./python")
        .DependsOn(CheckSettings, ImportCertificate)
        .Executes(() => Pipeline.FetchPythonAsync());
}
