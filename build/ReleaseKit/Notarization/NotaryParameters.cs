namespace ReleaseKit.Notarization;

/// <summary>How notarytool authenticates and waits, as typed (--apple-id, --notary-key, --notary-timeout, ...).</summary>
public sealed record NotaryParameters
{
    public bool SkipNotarize { get; init; }
    public string? AppleId { get; init; }
    public string? AppleTeamId { get; init; }
    public string? AppleAppSpecificPassword { get; init; }
    public string? NotaryKeychainProfile { get; init; }

    /// <summary>The AuthKey_&lt;KEYID&gt;.p8 file, or its content (a CI secret).</summary>
    public string? NotaryKey { get; init; }
    public string? NotaryKeyId { get; init; }
    public string? NotaryIssuer { get; init; }
    /// <summary>null: <see cref="NotaryOptions.DefaultTimeout"/>.</summary>
    public string? NotaryTimeout { get; init; }
    public string? NotarySubmissionId { get; init; }

    /// <summary>The values to mask: the password, and NOTARY_KEY when it holds the key itself rather than a path.</summary>
    public IEnumerable<string?> Secrets => [AppleAppSpecificPassword, NotaryCredentials.IsKeyContent(NotaryKey) ? NotaryKey : null];

    /// <summary>Also takes electron-builder's names for the same things, so a team moving over keeps its secrets.</summary>
    public NotaryParameters WithEnvironmentFallbacks(Func<string, string?> environment) => this with
    {
        NotaryKeychainProfile = Settings.SettingText.FirstSet(NotaryKeychainProfile, environment("NOTARY_KEYCHAIN_PROFILE"), environment("APPLE_KEYCHAIN_PROFILE")),
        NotaryKey = Settings.SettingText.FirstSet(NotaryKey, environment("NOTARY_KEY"), environment("APPLE_API_KEY")),
        NotaryKeyId = Settings.SettingText.FirstSet(NotaryKeyId, environment("NOTARY_KEY_ID"), environment("APPLE_API_KEY_ID")),
        NotaryIssuer = Settings.SettingText.FirstSet(NotaryIssuer, environment("NOTARY_ISSUER"), environment("APPLE_API_ISSUER")),
    };

    private bool PrintMembers(System.Text.StringBuilder builder) =>
        Tooling.Redacted.PrintMembers(this, builder, nameof(AppleAppSpecificPassword), nameof(NotaryKey), nameof(Secrets));
}
