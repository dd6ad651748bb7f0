using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tooling;

namespace ReleaseKit.Notarization;

/// <summary>Notarize's options, parsed once from <see cref="NotaryParameters"/> (when notarization is not skipped).</summary>
/// <param name="LibraryValidation">Whether the bundle keeps library validation, which the preflight before the upload checks.</param>
public sealed record NotaryOptions(NotaryCredentials Credentials, NotaryTimeout Timeout, string? SubmissionId, bool LibraryValidation)
{
    /// <summary>notarytool's --wait limit when --notary-timeout is not given.</summary>
    public const string DefaultTimeout = "2h";

    /// <param name="identity">What Sign signs with: Apple notarizes no ad-hoc signature.</param>
    /// <param name="libraryValidation">What Sign's entitlements say about library validation.</param>
    public static Parsed<NotaryOptions> Parse(NotaryParameters parameters, SigningIdentity? identity, bool libraryValidation)
    {
        var submissionId = SettingText.FirstSet(parameters.NotarySubmissionId);
        // With a submission id there is nothing to zip: notarytool only waits for it.
        ExternalTool[] tools = submissionId is null ? [Xcrun.Tool, Ditto.Tool] : [Xcrun.Tool];

        var (credentials, credentialProblems) = NotaryCredentials.From(parameters);
        var problems = credentialProblems.ToList();

        var timeoutText = SettingText.FirstSet(parameters.NotaryTimeout) ?? DefaultTimeout;
        var timeout = NotaryTimeout.TryParse(timeoutText);
        if (timeout is null)
            problems.Add($"{SettingName.Describe(nameof(parameters.NotaryTimeout))} is '{timeoutText}': use a duration notarytool understands, such as 2h, 90m or 3600 (seconds), up to 7 days");

        if (submissionId is not null && !NotaryResponse.Uuid().IsMatch(submissionId))
            problems.Add($"{SettingName.Describe(nameof(parameters.NotarySubmissionId))} is '{submissionId}': give the id notarytool printed, a UUID such as 2efe2717-52ef-43a5-96dc-0797e4ca1041");

        if (identity is { IsAdHoc: true })
            problems.Add($"{SettingName.Describe(nameof(SigningParameters.SignId))} is '-' (ad-hoc), which Apple does not notarize: use a Developer ID Application identity or pass --skip-notarize");
        else if (identity is { MayBeDeveloperIdApplication: false })
            problems.Add($"{SettingName.Describe(nameof(SigningParameters.SignId))} is '{identity.Name}', not a Developer ID Application identity: Apple's notary service accepts nothing else " +
                "(Mac App Store and Apple Development certificates are refused); use \"Developer ID Application: Name (TEAMID)\" (security find-identity -v -p codesigning lists yours) or pass --skip-notarize");

        if (problems.Count > 0 || credentials is null || timeout is null)
            return Parsed.Invalid<NotaryOptions>(problems, tools);
        return Parsed.Valid(new NotaryOptions(credentials, timeout, submissionId, libraryValidation), tools);
    }
}
