namespace ReleaseKit.Tooling;

/// <summary>
/// A program a stage runs, with what to do when it is missing. Each tool's wrapper declares one,
/// and each stage's options list the ones it will run, so the settings check finds a missing tool
/// before the release starts instead of the stage finding it halfway.
/// </summary>
/// <param name="Name">The program as looked up on PATH, or a path.</param>
/// <param name="Install">How to get it, for the error that says it is missing.</param>
public sealed record ExternalTool(string Name, string Install)
{
    private const string ShipsWithMacOs = "it ships with macOS: run this step on a Mac or a GitHub macOS runner";

    /// <summary>One of Apple's tools that exist only on macOS.</summary>
    public static ExternalTool OfMacOs(string name) => new(name, ShipsWithMacOs);

    public override string ToString() => Name;
}
