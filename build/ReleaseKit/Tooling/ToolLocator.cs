namespace ReleaseKit.Tooling;

/// <summary>Finds executables on a PATH, the way execvp would, and explains what to install when one is missing.</summary>
public sealed class ToolLocator(string searchPath)
{
    private static readonly Dictionary<string, string> InstallHints = new(StringComparer.Ordinal)
    {
        ["codesign"] = "it ships with macOS: run this step on a Mac or a GitHub macOS runner",
        ["xcrun"] = "install the Xcode command line tools: xcode-select --install",
        ["spctl"] = "it ships with macOS: run this step on a Mac or a GitHub macOS runner",
        ["xattr"] = "it ships with macOS: run this step on a Mac or a GitHub macOS runner",
        ["ditto"] = "it ships with macOS: run this step on a Mac or a GitHub macOS runner",
        ["security"] = "it ships with macOS: run this step on a Mac or a GitHub macOS runner",
        ["clang"] = "install a C compiler: xcode-select --install on macOS, apt-get install clang on Debian",
        ["pyinstaller"] = "it is installed into the build virtualenv by the Bundle step; check PIP_ARGS can reach it",
    };

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

    public static string DescribeMissing(string tool)
    {
        var hint = InstallHints.TryGetValue(Path.GetFileName(tool), out var text) ? text : "install it or put its folder on PATH";
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
