using Serilog;

namespace ReleaseKit.Tooling;

/// <summary>
/// The one retry policy: a transient failure, judged from an exception (downloads, S3) or from a
/// result (notarytool's answer, codesign's message), is tried again with exponential backoff.
/// Callers decide what is transient: only the network and Apple's timestamp and notary services
/// are; a real signing or packaging error is never retried.
/// </summary>
public static class Retry
{
    /// <summary>Retries while the action throws a transient exception; the last failure is rethrown as it was.</summary>
    public static async Task<T> RunAsync<T>(
        string operation, Func<Task<T>> action, Func<Exception, bool> isTransient, int maxAttempts, TimeSpan firstDelay, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception exception) when (attempt < maxAttempts && !cancellationToken.IsCancellationRequested && isTransient(exception))
            {
                await WaitAsync(operation, exception.Message, attempt, maxAttempts, firstDelay, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Retries while <paramref name="transientProblem"/> describes the result as a transient failure
    /// (null accepts it); returns the last result either way. The action learns which attempt it is.
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        string operation, Func<int, Task<T>> action, Func<T, string?> transientProblem, int maxAttempts, TimeSpan firstDelay, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await action(attempt);
            if (attempt >= maxAttempts || transientProblem(result) is not { } problem)
                return result;
            await WaitAsync(operation, problem, attempt, maxAttempts, firstDelay, cancellationToken);
        }
    }

    private static Task WaitAsync(string operation, string reason, int attempt, int maxAttempts, TimeSpan firstDelay, CancellationToken cancellationToken)
    {
        var delay = firstDelay * Math.Pow(2, attempt - 1);
        Log.Warning("{Operation:l} failed ({Reason:l}); retry {Attempt}/{MaxAttempts} in {Delay:0.#}s",
            operation, reason, attempt, maxAttempts - 1, delay.TotalSeconds);
        return Task.Delay(delay, cancellationToken);
    }
}
