using System.Text.RegularExpressions;

namespace ReleaseKit.Tests.Support;

/// <summary>
/// LLVM's tools as the distribution installed them, found the way .ci/run finds them: by their
/// plain name on PATH (the clang, lld and llvm packages' links), else the newest versioned name
/// on PATH (ld64.lld-21), else the newest /usr/lib/llvm-N/bin. No version is assumed: Debian 12
/// ships LLVM 14, Ubuntu 26.04 LLVM 20 to 22.
/// </summary>
public static partial class LlvmTools
{
    public static string Find(string tool)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var plain = path.Select(x => Path.Combine(x, tool)).FirstOrDefault(File.Exists);
        if (plain is not null)
            return plain;

        var versioned = path.Where(Directory.Exists)
            .SelectMany(x => Directory.EnumerateFiles(x, tool + "-*"))
            .Select(x => (Path: x, Version: Version(Path.GetFileName(x)[(tool.Length + 1)..])))
            .Concat(Directory.Exists("/usr/lib")
                ? Directory.EnumerateDirectories("/usr/lib", "llvm-*").Select(x => (Path: Path.Combine(x, "bin", tool), Version: Version(Path.GetFileName(x)["llvm-".Length..])))
                : [])
            .Where(x => x.Version is not null && File.Exists(x.Path))
            .OrderByDescending(x => x.Version)
            .FirstOrDefault();
        return versioned.Path ?? throw new InvalidOperationException($"{tool} was not found on PATH or in /usr/lib/llvm-*/bin: install the distribution's clang, lld and llvm packages (.ci/run does)");
    }

    private static int? Version(string text) => WholeNumber().IsMatch(text) ? int.Parse(text) : null;

    [GeneratedRegex(@"^[0-9]+\z")]
    private static partial Regex WholeNumber();
}
