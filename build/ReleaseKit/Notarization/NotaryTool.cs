using ReleaseKit.Tooling;

namespace ReleaseKit.Notarization;

/// <summary>
/// `xcrun notarytool` with the arguments notarytool(1) documents. Every call asks for JSON and
/// never throws on a non-zero exit: the caller decides by the parsed answer, because notarytool
/// exits 0 on an Invalid verdict and non-zero on mere timeouts.
/// </summary>
public sealed class NotaryTool(ToolRunner runner, NotaryCredentials credentials)
{
    public Task<NotaryResponse> SubmitAsync(string archive, bool s3Acceleration, CancellationToken cancellationToken) =>
        RunAsync(["submit", archive, .. credentials.Arguments, "--no-wait", .. s3Acceleration ? Array.Empty<string>() : ["--no-s3-acceleration"], "--output-format", "json"], cancellationToken);

    public Task<NotaryResponse> WaitAsync(string id, NotaryTimeout timeout, CancellationToken cancellationToken) =>
        RunAsync(["wait", id, .. credentials.Arguments, "--timeout", timeout.Text, "--output-format", "json"], cancellationToken);

    public Task<NotaryResponse> InfoAsync(string id, CancellationToken cancellationToken) =>
        RunAsync(["info", id, .. credentials.Arguments, "--output-format", "json"], cancellationToken);

    /// <summary>The developer log as notarytool printed it; only available once processing is complete.</summary>
    public async Task<(string? Json, NotaryResponse Response)> LogAsync(string id, CancellationToken cancellationToken)
    {
        var result = await RunRawAsync(["log", id, .. credentials.Arguments, "--output-format", "json"], cancellationToken);
        var response = NotaryResponse.Parse(result.ExitCode, result.StandardOutput, result.StandardError);
        return (result.ExitCode == 0 && NotaryResponse.TryParseObject(result.StandardOutput) is not null ? result.StandardOutput : null, response);
    }

    private async Task<NotaryResponse> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var result = await RunRawAsync(arguments, cancellationToken);
        return NotaryResponse.Parse(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    private Task<ToolResult> RunRawAsync(string[] arguments, CancellationToken cancellationToken) =>
        new Xcrun(runner).NotarytoolAsync(arguments, credentials.Secret, cancellationToken);
}
