using Nuke.Common;

partial class Build
{
    Target Bundle => _ => _
        .Description("Build the bundle (external or pyinstaller variant) with the native launcher")
        .DependsOn(FetchPython)
        .Executes(() => Steps.BundleAsync());
}
