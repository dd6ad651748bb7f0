using Nuke.Common;

partial class Build
{
    Target FetchPython => _ => _
        .Description("Resolve the embedded Python: --embedded-python, --cpython-url download, or ./python")
        .DependsOn(CheckSettings, ImportCertificate)
        .Executes(() => Steps.FetchPythonAsync());
}
