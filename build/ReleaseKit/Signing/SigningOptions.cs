using ReleaseKit.Settings;
using ReleaseKit.Tooling;

namespace ReleaseKit.Signing;

/// <summary>Sign's options, parsed once from <see cref="SigningParameters"/>.</summary>
public sealed record SigningOptions
{
    public required SigningIdentity Identity { get; init; }
    public required int Parallelism { get; init; }
    public required bool LibraryValidation { get; init; }

    /// <summary>An extra entitlements plist merged into the generated one.</summary>
    public string? Entitlements { get; init; }

    /// <summary>Where the Mach-O preflight report goes as JSON, when asked for.</summary>
    public string? PreflightJson { get; init; }

    public static Parsed<SigningOptions> Parse(SigningParameters parameters)
    {
        var tool = Codesign.Tool;
        var problems = new List<string>();
        var identity = parameters.Identity;
        if (identity is null)
            problems.Add($"{SettingName.Describe(nameof(parameters.SignId))} is not set: export SIGN_ID=\"Developer ID Application: Your Name (TEAMID)\" (CSC_NAME also works), or SIGN_ID=- for an ad-hoc local build with --skip-notarize");

        if (parameters.SignParallelism is < 1 or > 64)
            problems.Add($"{SettingName.Describe(nameof(parameters.SignParallelism))} is {parameters.SignParallelism}: use 1 to 64 codesign processes at a time");

        var entitlements = SettingText.FirstSet(parameters.Entitlements);
        if (entitlements is not null && !File.Exists(entitlements))
            problems.Add($"{SettingName.Describe(nameof(parameters.Entitlements))} points to '{entitlements}', which does not exist");

        if (problems.Count > 0 || identity is null)
            return Parsed.Invalid<SigningOptions>(problems, tool);

        return Parsed.Valid(new SigningOptions
        {
            Identity = identity,
            Parallelism = parameters.SignParallelism,
            LibraryValidation = parameters.LibraryValidation,
            Entitlements = entitlements,
            PreflightJson = SettingText.FirstSet(parameters.PreflightJson),
        }, tool);
    }
}
