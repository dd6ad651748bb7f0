using ReleaseKit.MachO;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Python;

/// <summary>The bundle runs on Apple Silicon: its interpreter must be an arm64 (or universal with arm64) Mach-O.</summary>
public static class InterpreterCheck
{
    public static BinaryFormat Ensure(PythonInstallation python, bool allowForeign)
    {
        var format = BinaryFormat.ReadFollowingLinks(python.Interpreter);
        if (format.RunsOnAppleSilicon)
            return format;

        var problem = $"{python.Interpreter} is {Article(format)}, not an arm64 macOS binary";
        if (!allowForeign)
            throw new ReleaseException($"{problem}: use an aarch64-apple-darwin python-build-standalone build (…-aarch64-apple-darwin-install_only.tar.gz), or pass --allow-foreign-python for a local experiment");

        Log.Warning("{Problem}; continuing because of --allow-foreign-python: this bundle will not run on a Mac", problem);
        return format;
    }

    private static string Article(BinaryFormat format) => format.Kind == BinaryFormat.Other ? format.Kind : $"an {format}";
}
