namespace ReleaseKit;

/// <summary>Where each stage reads and writes, relative to the project root.</summary>
public sealed record ReleaseLayout(string RootDirectory, string AppName)
{
    public string ExternalBundleDirectory => Path.Combine(RootDirectory, "dist-ext-python", AppName);

    public string PyInstallerBundleDirectory => Path.Combine(RootDirectory, "dist", AppName);

    public string ArtifactsDirectory => Path.Combine(RootDirectory, "artifacts");

    public string TemporaryDirectory => Path.Combine(RootDirectory, ".nuke", "temp");

    /// <summary>Verified CPython archives, named by their SHA-256.</summary>
    public string CpythonCache => Path.Combine(TemporaryDirectory, "cpython");

    public string PackageJson => Path.Combine(RootDirectory, "package.json");

    public string LauncherSource => Path.Combine(RootDirectory, "launcher", "launcher.c");

    public string Tarball(string version) => Path.Combine(ArtifactsDirectory, $"{AppName}-{version}.tgz");

    /// <summary>What Clean removes: build outputs only, never ./python, which may be the user's own interpreter.</summary>
    public IReadOnlyList<string> Outputs =>
    [
        Path.Combine(RootDirectory, "dist-ext-python"),
        Path.Combine(RootDirectory, "dist"),
        ArtifactsDirectory,
    ];
}
