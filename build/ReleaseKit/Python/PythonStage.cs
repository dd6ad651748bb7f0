using ReleaseKit.Tooling;

namespace ReleaseKit.Python;

/// <summary>
/// The FetchPython stage: the python to bundle (given, downloaded and verified, or ./python),
/// checked to be an arm64 macOS interpreter, and on a Mac made runnable there.
/// </summary>
/// <param name="prepareOnMacOS">Clear the quarantine and pre-sign with xattr and codesign (only a Mac has them).</param>
public sealed class PythonStage(ToolRunner runner, string rootDirectory, string cacheFolder, bool prepareOnMacOS)
{
    /// <param name="identity">What Sign will sign with; the pre-signature uses it too (ad-hoc when unset).</param>
    public async Task<PythonInstallation> RunAsync(PythonSource source, SigningIdentity? identity, CancellationToken cancellationToken)
    {
        using var client = HttpDownloader.CreateClient();
        var python = await new PythonFetcher(rootDirectory, cacheFolder, new HttpDownloader(client)).ResolveAsync(source, cancellationToken);
        InterpreterCheck.Ensure(python, source.AllowForeign);
        if (prepareOnMacOS)
            await new PythonPreparer(runner).PrepareAsync(python, identity, cancellationToken);
        return python;
    }
}
