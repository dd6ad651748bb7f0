using System.Text.RegularExpressions;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Bundling;

/// <summary>
/// A temporary copy of the app's source with --app-patches applied and the release version
/// stamped in: the release engineer's checkout is never modified.
/// </summary>
public static partial class AppSourceCopy
{
    private static readonly string[] Skipped = [".git", ".venv", "venv", "build", "dist", "__pycache__", ".mypy_cache", ".pytest_cache"];
    private static readonly string[] VersionFiles = ["__init__.py", "_version.py", "version.py", "__about__.py"];

    public static async Task<string> CreateAsync(ToolRunner runner, string source, string? patches, string version, string destination, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(source))
            throw new ReleaseException($"--app-source {source} is not a folder: point it at the app's project (the folder with pyproject.toml)");

        TreeCopier.Copy(source, destination, $"--app-source {source}", name => !Skipped.Contains(name) && !name.EndsWith(".egg-info", StringComparison.Ordinal));

        if (!string.IsNullOrWhiteSpace(patches))
        {
            if (!Directory.Exists(patches))
                throw new ReleaseException($"--app-patches {patches} is not a folder of *.patch files");
            foreach (var patch in Directory.GetFiles(patches, "*.patch").Order(StringComparer.Ordinal))
            {
                await new Patch(runner).ApplyAsync(destination, patch, cancellationToken);
                Log.Information("Applied {Patch} to the copy of the app", Path.GetFileName(patch));
            }
        }

        // Only regular files of the copy, never through a link: a link's target is stamped under its own name, if it is in the copy at all.
        var stamped = TreeWalk.Entries(destination)
            .Where(x => x.Info is FileInfo && x.Info.LinkTarget is null && VersionFiles.Contains(x.Info.Name))
            .Count(x => Stamp(x.Info.FullName, version));
        Log.Information("Stamped version {Version} into {Count} file(s) of the app copy", version, stamped);
        return destination;
    }

    private static bool Stamp(string file, string version)
    {
        var text = File.ReadAllText(file);
        var stamped = VersionAssignment().Replace(text, $"${{prefix}}\"{version}\"", 1);
        if (stamped == text)
            return false;
        File.WriteAllText(file, stamped);
        return true;
    }

    [GeneratedRegex("""(?m)^(?<prefix>__version__\s*(?::\s*str\s*)?=\s*)(?<quote>["'])[^"'\n]*\k<quote>""")]
    private static partial Regex VersionAssignment();
}
