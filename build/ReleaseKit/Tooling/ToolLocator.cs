namespace ReleaseKit.Tooling;

/// <summary>Finds executables on a PATH, the way execvp would, and explains what to install when one is missing.</summary>
public sealed class ToolLocator(string searchPath)
{
    // What each wrapper says about getting its tool, for the runner's error when one vanished after the settings check.
    private static readonly Dictionary<string, string> InstallHints = new ExternalTool[]
    {
        Codesign.Tool, Xcrun.Tool, Spctl.Tool, Xattr.Tool, Ditto.Tool, Security.Tool, Patch.Tool, CCompiler.Tool("clang"),
    }.ToDictionary(x => x.Name, x => x.Install, StringComparer.Ordinal);

    public static ToolLocator FromEnvironment() => new(Environment.GetEnvironmentVariable("PATH") ?? string.Empty);

    public string SearchPath { get; } = searchPath;

    public string? TryFind(string tool)
    {
        if (tool.Contains('/'))
            return IsExecutableFile(tool) ? Path.GetFullPath(tool) : null;

        return SearchPath
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(IsExecutableFile);
    }

    public string Find(string tool)
    {
        return TryFind(tool) ?? throw new ToolNotFoundException(tool, DescribeMissing(tool));
    }

    public static string DescribeMissing(ExternalTool tool) => Describe(tool.Name, tool.Install);

    public static string DescribeMissing(string tool) =>
        Describe(tool, InstallHints.TryGetValue(Path.GetFileName(tool), out var text) ? text : "install it or put its folder on PATH");

    private static string Describe(string tool, string hint)
    {
        return tool.Contains('/')
            ? $"{tool} does not exist or is not executable: {hint}"
            : $"{tool} was not found on PATH: {hint}";
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
            return false;

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
