using ReleaseKit.Bundling;

namespace ReleaseKit;

/// <summary>Where the stages read and write under the project root; inside a bundle, <see cref="BundleLayout"/> says where things are.</summary>
public sealed record ReleaseLayout(string RootDirectory, string AppName)
{
    public BundleLayout Bundle(BundleVariant variant) => BundleLayout.InProject(RootDirectory, variant, AppName);

    public string ArtifactsDirectory => Path.Combine(RootDirectory, "artifacts");

    public string TemporaryDirectory => Path.Combine(RootDirectory, ".nuke", "temp");

    /// <summary>Verified CPython archives, named by their SHA-256.</summary>
    public string CpythonCache => Path.Combine(TemporaryDirectory, "cpython");

    public string LauncherSource => Path.Combine(RootDirectory, "launcher", "launcher.c");

    /// <summary>The project's LICENSE, shipped in the bundle when there is one.</summary>
    public string? License => File.Exists(Path.Combine(RootDirectory, "LICENSE")) ? Path.Combine(RootDirectory, "LICENSE") : null;

    public string Tarball(string version) => Path.Combine(ArtifactsDirectory, Packaging.Packager.TarballName(AppName, version));

    /// <summary>What Clean removes: build outputs only, never ./python, which may be the user's own interpreter.</summary>
    public IReadOnlyList<string> Outputs => [.. BundleLayout.OutputFolders(RootDirectory), ArtifactsDirectory];
}
