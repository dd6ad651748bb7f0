using System.Collections.Concurrent;

namespace ReleaseKit.Tooling;

/// <summary>
/// Replaces secret values with <see cref="Mask"/> in anything about to be logged or put into an error.
/// NUKE's [Secret] redacts nothing (it only encrypts parameter files), so this is the one place
/// where redaction happens for the library.
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "***";

    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    public static SecretMasker Shared { get; } = new();

    public IReadOnlyCollection<string> Secrets => _secrets.Keys.ToArray();

    /// <summary>Shorter lines of a multi-line secret are not masked alone: "---" or "=" would mask ordinary text.</summary>
    public const int MinimumLineLength = 8;

    public void Register(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
            return;

        // A multi-line secret (a .p8 key's content) reaches logs line by line, as tool output
        // does, so each line is a secret of its own; GitHub's add-mask also takes one line each.
        var lines = secret.ReplaceLineEndings("\n").Split('\n').Select(x => x.Trim()).Where(x => x.Length >= MinimumLineLength);
        foreach (var value in new[] { secret, secret.Trim() }.Concat(lines))
        {
            if (!_secrets.TryAdd(value, 0))
                continue;

            // GitHub masks repository secrets itself, but not values we derive (a random keychain
            // password, a decoded certificate password): add-mask covers those in the runner's log.
            if (Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true" && !value.Contains('\n'))
                Console.Out.WriteLine($"::add-mask::{value}");
        }
    }

    /// <param name="text">Text about to be logged or thrown.</param>
    /// <param name="additional">Secrets known only to the caller (e.g. one tool call), masked as well.</param>
    public string Apply(string? text, IEnumerable<string>? additional = null)
    {
        if (string.IsNullOrEmpty(text))
            return string.Empty;

        // Longest first, so a secret that contains another is masked whole.
        var secrets = _secrets.Keys
            .Concat(additional?.Where(x => !string.IsNullOrWhiteSpace(x)) ?? [])
            .OrderByDescending(x => x.Length);

        foreach (var secret in secrets)
            text = text.Replace(secret, Mask, StringComparison.Ordinal);

        return text;
    }
}
