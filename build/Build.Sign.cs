using Nuke.Common;

partial class Build
{
    Target Sign => _ => _
        .Description("Sign every Mach-O with hardened runtime and a secure timestamp, then preflight")
        .DependsOn(Bundle)
        .Executes(() => Steps.SignAsync());
}
