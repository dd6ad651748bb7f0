using ReleaseKit.Settings;

namespace ReleaseKit.Notarization;

/// <summary>
/// How notarytool authenticates: an App Store Connect API key (what Apple recommends for CI),
/// a keychain profile made with `notarytool store-credentials`, or an Apple ID with an
/// app-specific password. Exactly one complete set is used; a partial set is an error.
/// </summary>
public sealed record NotaryCredentials
{
    private NotaryCredentials(string kind, IReadOnlyList<string> arguments, string? secret, string? keyContent)
    {
        Kind = kind;
        Arguments = arguments;
        Secret = secret;
        KeyContent = keyContent;
    }

    /// <summary>"API key", "keychain profile" or "Apple ID", for the log.</summary>
    public string Kind { get; }

    /// <summary>The authentication options notarytool takes after its subcommand.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The app-specific password, which notarytool only takes in argv (or from a terminal prompt).</summary>
    public string? Secret { get; }

    /// <summary>The .p8 key itself when NOTARY_KEY holds it (a CI secret) rather than a path; written to a private file for the call.</summary>
    public string? KeyContent { get; }

    // The arguments carry the app-specific password for the Apple ID kind.
    private bool PrintMembers(System.Text.StringBuilder builder) =>
        Tooling.Redacted.PrintMembers(this, builder, nameof(Secret), nameof(KeyContent), nameof(Arguments));

    /// <summary>NOTARY_KEY holds the .p8 key itself (a CI secret) rather than the path of one.</summary>
    public static bool IsKeyContent(string? key) => key?.Contains("PRIVATE KEY-----", StringComparison.Ordinal) == true;

    /// <summary>The credentials to use, or every problem with the ones given.</summary>
    public static (NotaryCredentials? Credentials, IReadOnlyList<string> Problems) From(NotaryParameters settings)
    {
        static string? Text(string? value) => SettingText.FirstSet(value);
        var key = Text(settings.NotaryKey);
        var issuer = Text(settings.NotaryIssuer);
        // In the order they win when more than one is complete: API key, keychain profile, Apple ID.
        var sets = new[]
        {
            new CredentialSet("App Store Connect API key", [
                (nameof(settings.NotaryKey), key),
                (nameof(settings.NotaryKeyId), Text(settings.NotaryKeyId))], values => ApiKey(values[0], values[1], issuer),
                Optional: (nameof(settings.NotaryIssuer), issuer)),
            new CredentialSet("keychain profile", [(nameof(settings.NotaryKeychainProfile), Text(settings.NotaryKeychainProfile))],
                values => new NotaryCredentials("keychain profile", ["--keychain-profile", values[0]], null, null)),
            new CredentialSet("Apple ID", [
                (nameof(settings.AppleId), Text(settings.AppleId)),
                (nameof(settings.AppleTeamId), Text(settings.AppleTeamId)),
                (nameof(settings.AppleAppSpecificPassword), settings.AppleAppSpecificPassword)],
                values => new NotaryCredentials("Apple ID", ["--apple-id", values[0], "--team-id", values[1], "--password", values[2]], values[2], null)),
        };

        var problems = sets.Where(x => x.IsPartial).Select(x => x.DescribeMissing()).ToList();
        var complete = sets.FirstOrDefault(x => x.IsComplete);
        if (complete is null && problems.Count == 0)
        {
            problems.Add("Notarization needs Apple credentials, one of: NOTARY_KEY, NOTARY_KEY_ID and NOTARY_ISSUER (an App Store Connect API key, best for CI); " +
                         "NOTARY_KEYCHAIN_PROFILE (made with xcrun notarytool store-credentials); or APPLE_ID, APPLE_TEAM_ID and APPLE_APP_SPECIFIC_PASSWORD. " +
                         "Or pass --skip-notarize for a dry run");
        }

        if (key is not null && !IsKeyContent(key) && !File.Exists(key))
            problems.Add($"{SettingName.Describe(nameof(settings.NotaryKey))} is neither an existing .p8 file nor the key itself: give the path of AuthKey_<KEYID>.p8 or its content");

        return problems.Count > 0 || complete is null ? (null, problems) : (complete.Create(), []);
    }

    private static NotaryCredentials ApiKey(string key, string keyId, string? issuer)
    {
        var content = IsKeyContent(key) ? key : null;
        // A placeholder path until the key is written out; see WithKeyFile.
        string[] arguments = ["--key", content is null ? key : KeyFilePlaceholder, "--key-id", keyId];
        // Individual keys have no issuer, and giving one makes Apple answer 401.
        if (!string.IsNullOrWhiteSpace(issuer))
            arguments = [.. arguments, "--issuer", issuer];
        return new NotaryCredentials("API key", arguments, null, content);
    }

    private const string KeyFilePlaceholder = "<NOTARY_KEY file>";

    /// <summary>The same credentials pointing at the file the key content was written to.</summary>
    public NotaryCredentials WithKeyFile(string path) =>
        new(Kind, Arguments.Select(x => x == KeyFilePlaceholder ? path : x).ToArray(), Secret, KeyContent);

    private sealed record CredentialSet(
        string Label, (string Name, string? Value)[] Required, Func<string[], NotaryCredentials> Build, (string Name, string? Value)? Optional = null)
    {
        public NotaryCredentials Create() => Build(Required.Select(x => x.Value ?? "").ToArray());

        private IEnumerable<(string Name, string? Value)> All => Optional is { } optional ? [.. Required, optional] : Required;

        public bool IsComplete => Required.All(x => !string.IsNullOrWhiteSpace(x.Value));

        public bool IsPartial => !IsComplete && All.Any(x => !string.IsNullOrWhiteSpace(x.Value));

        public string DescribeMissing()
        {
            var given = All.Where(x => !string.IsNullOrWhiteSpace(x.Value)).Select(x => SettingName.EnvironmentVariable(x.Name));
            var missing = Required.Where(x => string.IsNullOrWhiteSpace(x.Value)).Select(x => SettingName.Describe(x.Name));
            return $"{string.Join(" and ", given)} set but {string.Join(", ", missing)} missing: the {Label} credentials need all of them";
        }
    }
}
