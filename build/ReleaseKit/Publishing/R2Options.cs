using ReleaseKit.Settings;

namespace ReleaseKit.Publishing;

/// <summary>Upload's options, parsed once from <see cref="R2Parameters"/>.</summary>
/// <param name="R2Path">--r2-path: the key prefix without its trailing '/', or null for <see cref="DefaultKeyPrefix"/>.</param>
/// <param name="Channel">The channel to move; null for stable or beta by the version.</param>
public sealed partial record R2Options(R2Target Target, string? R2Path, bool Force, string? Channel = null, bool ForceChannel = false)
{
    /// <summary>Where a release's objects go unless --r2-path says otherwise, and where --release-url finds them.</summary>
    public static string DefaultKeyPrefix(string version) => $"releases/{version}/";

    /// <summary>The key prefix the objects go under, with exactly one trailing '/'.</summary>
    public string KeyPrefix(string version) => R2Path is null ? DefaultKeyPrefix(version) : R2Path + "/";

    public static Parsed<R2Options> Parse(R2Parameters parameters)
    {
        var problems = new List<string>();
        var values = parameters.Required.Select(x => (x.Name, Value: SettingText.FirstSet(x.Value))).ToArray();
        var missing = values.Where(x => x.Value is null).Select(x => SettingName.Describe(x.Name)).ToArray();
        if (missing.Length > 0)
            problems.Add($"Upload to R2 needs {string.Join(", ", missing)}: set them all, or none to skip the upload");

        var endpoint = SettingText.FirstSet(parameters.R2Endpoint);
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            problems.Add($"{SettingName.Describe(nameof(parameters.R2Endpoint))} must be an https URL such as https://<ACCOUNT_ID>.r2.cloudflarestorage.com, got '{endpoint}'");

        var path = SettingText.FirstSet(parameters.R2Path)?.TrimEnd('/');
        if (path is not null && ProblemWithPrefix(path) is { } problem)
            problems.Add($"{SettingName.Describe(nameof(parameters.R2Path))} '{parameters.R2Path?.Trim()}' {problem}, such as releases/2.0.0/");

        var channel = SettingText.FirstSet(parameters.Channel);
        if (channel is not null && !ChannelName().IsMatch(channel))
            problems.Add($"{SettingName.Describe(nameof(parameters.Channel))} is '{channel}': use lower-case letters, digits and '-' (stable, beta, nightly-2)");

        if (problems.Count > 0 || values is not [(_, { } keyId), (_, { } secret), (_, { } bucket), (_, { } url)])
            return Parsed.Invalid<R2Options>(problems);
        return Parsed.Valid(new R2Options(new R2Target(url, bucket, keyId, secret), path, parameters.ForceUpload, channel, parameters.ForceChannel));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9-]+\z")]
    private static partial System.Text.RegularExpressions.Regex ChannelName();

    /// <summary>
    /// Keys become URLs in the updater's manifest: '.', '..' and empty segments would be
    /// normalised away by a browser or proxy, and '?', '#', '%' or spaces would change the URL.
    /// </summary>
    private static string? ProblemWithPrefix(string prefix)
    {
        if (prefix.StartsWith('/'))
            return "must be a relative key prefix";
        var segments = prefix.Split('/');
        if (segments.Any(x => x is "" or "." or ".."))
            return "must not contain '.', '..' or empty segments";
        if (!segments.All(x => x.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+')))
            return "may use only letters, digits, '.', '_', '-' and '+' between slashes";
        return null;
    }
}
