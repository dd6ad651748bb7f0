using ReleaseKit.Archives;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Python;

/// <summary>
/// Decides which Python goes into the bundle: --embedded-python, else a download from
/// --cpython-url unpacked into ./python, else an existing ./python/bin/python3.
/// </summary>
public sealed class PythonFetcher(string rootDirectory, string cacheDirectory, HttpDownloader downloader)
{
    public string PythonDirectory => Path.Combine(rootDirectory, "python");

    public async Task<PythonInstallation> ResolveAsync(PythonSource source, CancellationToken cancellationToken)
    {
        if (source.Embedded is { } embeddedPython)
            return Describe(HomeOf(embeddedPython), "--embedded-python");

        if (source.Download is { } url)
        {
            // A linked ./python is somebody's own interpreter: replacing it would mean deleting it.
            if (new DirectoryInfo(PythonDirectory).LinkTarget is { } linked)
                throw new ReleaseException($"{PythonDirectory} is a symlink to {linked}, which --cpython-url would replace: remove the link, or use --embedded-python {linked}");

            var archive = await new CpythonArchiveCache(cacheDirectory, downloader).GetAsync(url, source.Sha256, cancellationToken);
            await InstallAsync(archive, cancellationToken);
            return Describe(PythonDirectory, $"--cpython-url {url}") with { ArchiveUrl = url.AbsoluteUri, ArchiveSha256 = CpythonArchiveCache.Sha256Of(archive) };
        }

        if (File.Exists(Path.Combine(PythonDirectory, "bin", "python3")))
            return Describe(PythonDirectory, "./python");

        throw new ReleaseException(
            $"No Python to bundle: pass --embedded-python PATH (a python folder or its bin/python3), " +
            $"or --cpython-url URL (a python-build-standalone aarch64-apple-darwin install_only archive, downloaded into ./python), " +
            $"or put one at {Path.Combine(PythonDirectory, "bin", "python3")}");
    }

    /// <summary>Unpacks the archive next to ./python and swaps it in, so ./python is never half-written.</summary>
    private async Task InstallAsync(string archive, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(rootDirectory, $".python-extract-{Environment.ProcessId}");
        var previous = Path.Combine(rootDirectory, $".python-previous-{Environment.ProcessId}");
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);

        var result = await SafeExtractor.ExtractAsync(archive, staging, cancellationToken);
        try
        {
            var extracted = FindLayout(staging, archive);
            var hadPython = Directory.Exists(PythonDirectory) || File.Exists(PythonDirectory);
            if (hadPython)
                Directory.Move(PythonDirectory, previous);
            try
            {
                Directory.Move(extracted, PythonDirectory);
            }
            catch when (hadPython)
            {
                Directory.Move(previous, PythonDirectory);
                throw;
            }

            if (hadPython)
                Directory.Delete(previous, recursive: true);
            Log.Information("Installed {Archive} into {Python}: {Files} files, {Links} links, {Size}",
                Path.GetFileName(archive), PythonDirectory, result.Files, result.SymbolicLinks + result.HardLinks, ByteSize.Format(result.Bytes));
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    // python-build-standalone archives hold python/bin/python3; other builds put bin/ at the top.
    private static string FindLayout(string extracted, string archive)
    {
        static bool HasInterpreter(string home) => File.Exists(Path.Combine(home, "bin", "python3"));

        if (HasInterpreter(Path.Combine(extracted, "python")))
            return Path.Combine(extracted, "python");
        if (HasInterpreter(extracted))
            return extracted;
        throw new ReleaseException($"{archive} holds neither python/bin/python3 nor bin/python3: use an install_only python-build-standalone archive");
    }

    private static string HomeOf(string embeddedPython)
    {
        var path = Path.GetFullPath(embeddedPython);
        if (Directory.Exists(path))
            return path;
        if (File.Exists(path) && Path.GetFileName(Path.GetDirectoryName(path)) == "bin")
            return Path.GetDirectoryName(Path.GetDirectoryName(path))!;
        throw new ReleaseException($"--embedded-python {embeddedPython} is neither a python folder nor a bin/python3 inside one");
    }

    private static PythonInstallation Describe(string home, string origin)
    {
        var interpreter = Path.Combine(home, "bin", "python3");
        if (!File.Exists(interpreter))
            throw new ReleaseException($"{home} has no bin/python3 (from {origin}): point it at a python folder such as ./python");

        // lib/pythonX.Y/os.py is the landmark CPython itself uses to find its standard library.
        var version = Directory.Exists(Path.Combine(home, "lib"))
            ? Directory.EnumerateDirectories(Path.Combine(home, "lib"), "python3.*")
                .Where(x => File.Exists(Path.Combine(x, "os.py")))
                .Select(x => Path.GetFileName(x)["python".Length..])
                .OrderByDescending(x => Version.TryParse(x, out var v) ? v : new Version())
                .FirstOrDefault()
            : null;
        if (version is null)
            throw new ReleaseException($"{home} has no lib/python3.X/os.py (from {origin}): it is not a complete Python installation");

        Log.Information("Python {Version} from {Origin}: {Home}", version, origin, home);
        return new PythonInstallation(home, interpreter, version, origin);
    }
}
