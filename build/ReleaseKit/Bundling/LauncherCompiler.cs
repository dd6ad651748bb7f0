using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Bundling;

/// <summary>Which machine the launcher is compiled for.</summary>
public enum LauncherPlatform
{
    /// <summary>The release target: Apple Silicon, macOS 11 or later.</summary>
    MacOsArm64,

    /// <summary>The machine running the build, for tests and local experiments on Linux.</summary>
    Host,
}

/// <summary>Compiles launcher/launcher.c into the bundle's entry point.</summary>
public sealed class LauncherCompiler(ToolRunner runner)
{
    /// <param name="source">launcher/launcher.c</param>
    /// <param name="output">The launcher's path in the bundle; written only once the compiler succeeded.</param>
    /// <param name="appName">Prefix of the launcher's error messages.</param>
    /// <param name="appModule">The module it runs with python -m, compiled in.</param>
    /// <param name="compiler">Overrides the platform default (the --cc parameter, CC).</param>
    public async Task<string> CompileAsync(
        string source,
        string output,
        string appName,
        string appModule,
        LauncherPlatform platform,
        string? compiler = null,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(source))
            throw new ReleaseException($"The launcher source {source} is missing: restore launcher/ from the repository");

        compiler ??= DefaultCompiler(platform);
        var temporary = output + ".tmp-" + Environment.ProcessId;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        try
        {
            await new CCompiler(runner, compiler).CompileAsync(Flags(appName, appModule, platform), source, temporary, cancellationToken);
            File.Move(temporary, output, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        Log.Information("Compiled launcher {Launcher} ({Platform}, module {Module}, {Size} bytes)",
            output, platform, appModule, new FileInfo(output).Length);
        return output;
    }

    public static IReadOnlyList<string> Arguments(string source, string output, string appName, string appModule, LauncherPlatform platform) =>
        CCompiler.Arguments(Flags(appName, appModule, platform), source, output);

    private static IReadOnlyList<string> Flags(string appName, string appModule, LauncherPlatform platform)
    {
        List<string> arguments = platform == LauncherPlatform.MacOsArm64
            ? ["-arch", "arm64", "-mmacosx-version-min=11.0"]
            : [];

        arguments.AddRange([
            "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror",
            $"-DMLXK_APP_NAME=\"{CLiteral(appName, "AppName")}\"",
            $"-DMLXK_APP_MODULE=\"{CLiteral(appModule, "AppModule")}\"",
        ]);
        return arguments;
    }

    /// <summary>What a release on this machine builds: the Apple Silicon launcher on a Mac, a host one elsewhere (tests, experiments).</summary>
    public static LauncherPlatform PlatformOfThisMachine => OperatingSystem.IsMacOS() ? LauncherPlatform.MacOsArm64 : LauncherPlatform.Host;

    /// <summary>clang on macOS (what Xcode ships), cc for a host build; --cc (CC) chooses another.</summary>
    public static string DefaultCompiler(LauncherPlatform platform) => platform == LauncherPlatform.MacOsArm64 ? "clang" : "cc";

    // The value becomes a C string literal through a -D define: only characters that need no
    // escaping in C get through (the settings check already holds names and modules to these).
    private static string CLiteral(string value, string setting)
    {
        if (value.Length == 0 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new ReleaseException($"{setting} '{value}' cannot be compiled into the launcher: use letters, digits, '.', '_' or '-'");
        return value;
    }
}
