using Nuke.Common.CI.GitHubActions;

// macos-latest is Apple Silicon (macos-26 as of 2026-11) and is the one Apple-Silicon label
// NUKE 10.1's GitHubActionsImage can name (macos-14 is retired); the bundle targets macOS 11+
// through the launcher's deployment target, so the runner's macOS version does not leak into it.
// Secrets are given by their exact GitHub names: NUKE would derive R2ACCESS_KEY_ID from
// nameof(R2AccessKeyId). The variables still bind to the parameters (case and '_' ignored).
[GitHubActions(
    "release",
    GitHubActionsImage.MacOsLatest,
    OnWorkflowDispatchOptionalInputs = new[] { "version", "variant", "cpython_url", "r2_path" },
    ImportSecrets = new[]
    {
        "CSC_NAME",
        "APPLE_ID",
        "APPLE_TEAM_ID",
        "APPLE_APP_SPECIFIC_PASSWORD",
        "NOTARY_KEY",
        "NOTARY_KEY_ID",
        "NOTARY_ISSUER",
        "MACOS_CERT_P12",
        "MACOS_CERT_PASSWORD",
        "R2_ACCESS_KEY_ID",
        "R2_SECRET_ACCESS_KEY",
        "R2_BUCKET",
        "R2_ENDPOINT",
    },
    InvokedTargets = new[] { nameof(Release) },
    // Notarization waits up to NotaryTimeout (2 h) on Apple's queue, on top of the build itself.
    TimeoutMinutes = 180,
    PublishArtifacts = true)]
partial class Build
{
}
