using ReleaseKit.Tooling;

namespace ReleaseKit.Signing;

/// <summary>How the bundle is signed, as typed (--sign-id, --sign-parallelism, --disable-libval, ...).</summary>
public sealed record SigningParameters
{
    public string? SignId { get; init; }
    /// <summary>How many codesign processes run at a time unless --sign-parallelism says otherwise.</summary>
    public const int DefaultSignParallelism = 4;

    /// <summary>Library validation is off unless --disable-libval false: mlx and its wheels are signed by other teams.</summary>
    public const bool DefaultDisableLibval = true;

    public int SignParallelism { get; init; } = DefaultSignParallelism;

    /// <remarks>The flag users know (--disable-libval); everything else reads <see cref="LibraryValidation"/>.</remarks>
    public bool DisableLibval { get; init; } = DefaultDisableLibval;
    public string? Entitlements { get; init; }
    public string? PreflightJson { get; init; }

    /// <summary>Whether macOS's library validation stays on: then every library must carry the launcher's team.</summary>
    public bool LibraryValidation => !DisableLibval;

    /// <summary>The identity when one is set; Package and Verify judge an ad-hoc build by it without needing Sign's other options.</summary>
    public SigningIdentity? Identity => Settings.SettingText.FirstSet(SignId) is { } name ? new SigningIdentity(name) : null;

    /// <summary>Also takes electron-builder's CSC_NAME, so a team moving over keeps its secret.</summary>
    public SigningParameters WithEnvironmentFallbacks(Func<string, string?> environment) =>
        this with { SignId = Settings.SettingText.FirstSet(SignId, environment("SIGN_ID"), environment("CSC_NAME")) };
}
