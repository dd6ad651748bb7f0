using ReleaseKit.MachO;
using ReleaseKit.Signing;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Notarization;

public sealed record NotarizationRequest(
    string Bundle,
    string AppName,
    string Version,
    string RecordPath,
    NotaryTimeout Timeout,
    string? ResumeId,
    bool LibraryValidation,
    IReadOnlyCollection<string> MainExecutables)
{
    /// <summary>The oldest macOS the release supports, checked in the preflight; null skips that check.</summary>
    public OsVersion? MinimumMacOs { get; init; }
}

public sealed record NotarizationResult(string Id, string Status, int Warnings);

/// <summary>
/// Submits the signed bundle to Apple's notary service and decides by Apple's verdict, never by
/// notarytool's exit code. The upload happens at most once per run: once Apple has returned an
/// id, that submission is waited on, and the id is saved so a later run can wait on it too.
/// </summary>
public sealed class Notarizer(ToolRunner runner, NotaryCredentials credentials)
{
    private const int UploadAttempts = 3;

    /// <summary>How long after its own --timeout a `notarytool wait` that hangs is stopped (it has been seen to hang for hours).</summary>
    public TimeSpan WaitGrace { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan UploadRetryDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Where the submission zip is made (and removed); the system's temp folder by default.</summary>
    public string WorkDirectory { get; init; } = Path.GetTempPath();

    public async Task<NotarizationResult> NotarizeAsync(NotarizationRequest request, CancellationToken cancellationToken)
    {
        var fingerprint = await EnsureReadyAsync(request, cancellationToken);
        var work = Directory.CreateDirectory(Path.Combine(WorkDirectory, $"notarize-{request.AppName}-{Guid.NewGuid():N}"));
        try
        {
            var tool = new NotaryTool(runner, await WriteKeyAsync(work.FullName, cancellationToken));
            Log.Information("Notarizing {Bundle} (credentials: {Kind})", request.Bundle, credentials.Kind);

            var id = request.ResumeId is { } resume
                ? Resume(request, resume, fingerprint)
                : await SubmitAsync(tool, request, work.FullName, fingerprint, cancellationToken);

            try
            {
                return await DecideAsync(tool, request, id, fingerprint, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Log.Warning("Stopped waiting; Apple keeps processing submission {Id}: wait for it with --notary-submission-id {Id:l}", id, id);
                throw;
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Only a bundle that Sign signed with a real identity, unchanged since, and that passes the release preflight.</summary>
    private static async Task<string> EnsureReadyAsync(NotarizationRequest request, CancellationToken cancellationToken)
    {
        var record = SignatureRecord.Require(request.Bundle, "Notarize");
        var fingerprint = record.Fingerprint;
        if (record.AdHoc)
            throw new ReleaseException($"The bundle {request.Bundle} is only ad-hoc signed, which Apple does not notarize: sign it with a Developer ID (SIGN_ID), or pass --skip-notarize");

        var preflight = Preflight.Run(request.Bundle, PreflightMode.Release, request.LibraryValidation, request.MainExecutables, request.MinimumMacOs);
        if (!preflight.Passed)
            throw new ReleaseException($"Notarize refuses the bundle: the preflight finds {preflight.Errors} error(s) (listed above) that Apple would reject; fix them and run Sign again");
        // ditto reads the files, not this process, so the contents take a pass of their own.
        await record.EnsureContentsAsync(request.Bundle, cancellationToken);
        return fingerprint;
    }

    /// <summary>The .p8 given as content (a CI secret) goes to a file only this user can read, inside the work folder removed afterwards.</summary>
    private async Task<NotaryCredentials> WriteKeyAsync(string work, CancellationToken cancellationToken)
    {
        if (credentials.KeyContent is not { } key)
            return credentials;

        var path = Path.Combine(work, "AuthKey.p8");
        await using (var file = new FileStream(path, new FileStreamOptions
                     {
                         Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                     }))
        await using (var writer = new StreamWriter(file))
            await writer.WriteAsync(key.AsMemory(), cancellationToken);
        return credentials.WithKeyFile(path);
    }

    /// <remarks>The id's form is checked with the other settings, before any stage.</remarks>
    private static string Resume(NotarizationRequest request, string id, string fingerprint)
    {
        var saved = SubmissionRecord.Read(request.RecordPath);
        if (saved?.Id == id && saved.BundleFingerprint != fingerprint)
            throw new ReleaseException($"Submission {id} was made from a different bundle than the one now in {request.Bundle} (it was rebuilt or signed again): notarize without --notary-submission-id");
        if (saved?.Id != id)
            Log.Warning("Submission {Id} is not the one recorded in {Record}: make sure it was made from this bundle", id, request.RecordPath);

        Log.Information("Waiting on the existing submission {Id} instead of uploading again", id);
        return id;
    }

    private async Task<string> SubmitAsync(NotaryTool tool, NotarizationRequest request, string work, string fingerprint, CancellationToken cancellationToken)
    {
        // notarytool takes a zip, not a tgz; ditto keeps symlinks, modes and the bundle folder itself.
        var archive = Path.Combine(work, $"{request.AppName}-{request.Version}.zip");
        try
        {
            await new Ditto(runner).ZipAsync(request.Bundle, archive, cancellationToken);
            Log.Information("Zipped {Bundle} for submission ({Size})", request.Bundle, ByteSize.Format(new FileInfo(archive).Length));

            // An upload that returned an id happened, whatever the exit code, and refused credentials
            // will not get better: neither is tried again. Apple's advice for uploads that keep
            // failing is to turn S3 transfer acceleration off, so the last attempt goes without it.
            var response = await Retry.UntilAsync("Upload to Apple's notary service",
                attempt => tool.SubmitAsync(archive, s3Acceleration: attempt < UploadAttempts, cancellationToken),
                response => response.Id is null && CredentialProblem(response) is null ? response.Problem : null,
                UploadAttempts, UploadRetryDelay, cancellationToken);
            if (response.Id is { } id)
            {
                if (response.ExitCode != 0)
                    Log.Warning("notarytool submit exited with {ExitCode} but returned submission {Id}: waiting on it ({Problem})", response.ExitCode, id, response.Problem);
                new SubmissionRecord(id, request.Version, fingerprint, DateTimeOffset.UtcNow, "Submitted").Write(request.RecordPath);
                Log.Information("Submitted to Apple's notary service: submission {Id} (saved in {Record}); if this run stops, wait for it with --notary-submission-id {Id:l}",
                    id, request.RecordPath, id);
                return id;
            }

            if (CredentialProblem(response) is { } hint)
                throw new ReleaseException($"Apple refused the notarization credentials ({credentials.Kind}): {hint}. notarytool said: {response.Problem}");
            throw new ReleaseException($"notarytool could not upload {Path.GetFileName(archive)} after {UploadAttempts} attempts (the last without S3 acceleration): {response.Problem}");
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private static string? CredentialProblem(NotaryResponse response) => response.Output switch
    {
        var text when text.Contains("401", StringComparison.Ordinal) || text.Contains("Unable to authenticate", StringComparison.OrdinalIgnoreCase) =>
            "check the Apple ID and app-specific password, the API key, key id and issuer (an individual key takes no issuer), or the keychain profile",
        var text when text.Contains("403", StringComparison.Ordinal) =>
            "the account holder must accept the latest agreements at developer.apple.com, or the API key's role is too narrow (it needs Developer)",
        _ => null,
    };

    private async Task<NotarizationResult> DecideAsync(NotaryTool tool, NotarizationRequest request, string id, string fingerprint, CancellationToken cancellationToken)
    {
        NotaryResponse? waited = null;
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            limit.CancelAfter(request.Timeout.Duration + WaitGrace);
            try
            {
                waited = await tool.WaitAsync(id, request.Timeout, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Log.Warning("notarytool wait did not return within {Timeout} plus {Grace}; asking for the status instead", request.Timeout.Text, WaitGrace);
            }
        }

        // wait's own answer is not trusted (its exit on timeout is undocumented): info is one query for the status.
        var info = await tool.InfoAsync(id, cancellationToken);
        var status = info.Status ?? (waited?.IsFinal == true ? waited.Status : null);
        if (status is null)
            throw new ReleaseException($"Could not read the status of submission {id}: {info.Problem}. Apple keeps processing it: run again with --notary-submission-id {id}");

        if (status is not (NotaryResponse.Accepted or NotaryResponse.Invalid or NotaryResponse.Rejected))
        {
            new SubmissionRecord(id, request.Version, fingerprint, DateTimeOffset.UtcNow, status).Write(request.RecordPath);
            throw new ReleaseException(
                $"Apple has not finished submission {id} within --notary-timeout {request.Timeout.Text} (status: {status}). It keeps processing: " +
                $"run the same command again with --notary-submission-id {id} to wait for it without uploading again");
        }

        var log = await FetchLogAsync(tool, id, request.AppName, cancellationToken);
        new SubmissionRecord(id, request.Version, fingerprint, DateTimeOffset.UtcNow, status, log?.StatusSummary).Write(request.RecordPath);

        if (status != NotaryResponse.Accepted)
        {
            var errors = log?.Errors.ToArray() ?? [];
            var first = errors.Take(5).Select(x => $"{x.Path}: {x.Message}");
            throw new ReleaseException(
                $"Apple's notary service answered {status} for submission {id}" +
                (log?.StatusSummary is { } summary ? $" ({summary})" : "") +
                (errors.Length > 0 ? $": {errors.Length} issue(s), listed above; first: {string.Join("; ", first)}" : $": see `xcrun notarytool log {id}`") +
                ". Fix them, then run Sign and Notarize again");
        }

        var warnings = log?.Warnings.Count() ?? 0;
        Log.Information("Notarization accepted: submission {Id}, {Warnings} warning(s) in Apple's log", id, warnings);
        return new NotarizationResult(id, status, warnings);
    }

    private static async Task<NotarizationLog?> FetchLogAsync(NotaryTool tool, string id, string appName, CancellationToken cancellationToken)
    {
        var (json, response) = await tool.LogAsync(id, cancellationToken);
        var log = NotarizationLog.TryParse(json, appName);
        if (log is null)
        {
            Log.Warning("Apple's log for submission {Id} could not be read: {Problem}", id, response.Problem);
            return null;
        }

        foreach (var issue in log.Issues)
        {
            Log.Write(issue.Severity == "warning" ? Serilog.Events.LogEventLevel.Warning : Serilog.Events.LogEventLevel.Error,
                "Apple {Severity:l}: {Path:l} [{Architecture:l}] {Message:l} {DocUrl:l}",
                issue.Severity, issue.Path, issue.Architecture ?? "-", issue.Message, issue.DocUrl ?? "");
        }
        return log;
    }
}
