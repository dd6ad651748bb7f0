using Serilog;

namespace ReleaseKit.Tooling;

/// <summary>
/// Retries what touches the network (downloads, uploads) when it fails transiently, with
/// exponential backoff. The last failure is rethrown as it was; never used for signing or packaging.
/// </summary>
public static class Retry
{
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
                var delay = firstDelay * Math.Pow(2, attempt - 1);
                Log.Warning("{Operation} failed ({Reason}); retry {Attempt}/{MaxAttempts} in {Delay:0.#}s",
                    operation, exception.Message, attempt, maxAttempts - 1, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }
}
