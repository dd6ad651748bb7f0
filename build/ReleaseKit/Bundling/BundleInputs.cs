using ReleaseKit.Python;
using ReleaseKit.Tooling;

namespace ReleaseKit.Bundling;

/// <summary>Everything a bundler needs, resolved from the settings.</summary>
public sealed record BundleInputs(
    PythonInstallation Python,
    string AppName,
    string AppModule,
    string Version,
    RequirementsFile Requirements,
    string App,
    IReadOnlyList<string> PipArgs,
    bool ViaWheels,
    IReadOnlyList<string> ReportPackages,
    string LauncherSource,
    string? License)
{
    /// <summary>The oldest macOS the release supports: pip takes wheels for it.</summary>
    public OsVersion MinimumMacOs { get; init; } = Settings.MacOsMinimum.Default;

    /// <summary>The C compiler for the launcher (--cc, CC); null for the platform's default.</summary>
    public string? Compiler { get; init; }
}
