using ReleaseKit.Bundling;
using ReleaseKit.Tooling;

namespace ReleaseKit.Notarization;

/// <summary>
/// The Notarize stage: the signed bundle zipped and submitted once (or an earlier submission
/// waited on), Apple's verdict decided by its JSON status. The submission id is kept beside the
/// artifacts, so a rerun waits on it instead of uploading again.
/// </summary>
/// <param name="workFolder">Where the zip is made, in a folder that is removed afterwards.</param>
public sealed class NotarizeStage(ToolRunner runner, string workFolder)
{
    public Task<NotarizationResult> RunAsync(BundleLayout bundle, NotaryOptions options, string version, string artifacts, OsVersion minimumMacOs, CancellationToken cancellationToken) =>
        new Notarizer(runner, options.Credentials) { WorkDirectory = workFolder }.NotarizeAsync(new NotarizationRequest(
            bundle.Folder,
            bundle.AppName,
            version,
            SubmissionRecord.PathFor(artifacts, version),
            options.Timeout,
            options.SubmissionId,
            options.LibraryValidation,
            bundle.Executables) { MinimumMacOs = minimumMacOs }, cancellationToken);
}
