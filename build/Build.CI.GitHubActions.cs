using Nuke.Common.CI.GitHubActions;

// macos-latest is Apple Silicon (macos-26 as of 2026-11) and is the one Apple-Silicon label
// NUKE 10.1's GitHubActionsImage can name (macos-14 is retired); the bundle targets macOS 11+
// through the launcher's deployment target, so the runner's macOS version does not leak into it.
// Secrets are given by their exact GitHub names: NUKE would derive R2ACCESS_KEY_ID from
// nameof(R2AccessKeyId). The variables still bind to the parameters (case and '_' ignored).
// A runner has no ./python, so cpython_url has a default; the app's default lives in
// .nuke/parameters.json, where a local run finds it too.
[Workflow(
    "release",
    GitHubActionsImage.MacOsLatest,
    OnWorkflowDispatchOptionalInputs = new[] { "version", "variant", "app_package", "cpython_url", "r2_path", "attest" },
    InputDefaults = new[] { "cpython_url=" + PythonBuildStandalone, "attest=true" },
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
        "UPDATE_SIGNING_KEY",
        "UPDATE_SIGNING_KEY_PASSWORD",
    },
    // Build and check everything first, publish last: Release without Upload, then Verify (on the
    // runner, Gatekeeper and codesign --check-notarization judge the notarized build), then the
    // attestation and the workflow artifact, and only then the upload to R2, so a failure in any
    // earlier step publishes nothing. The last step uploads what the first one packaged.
    InvokedTargets = new[] { nameof(Release), nameof(Verify) },
    BuildArguments = "--skip Upload",
    FinalArguments = "Upload --skip ImportCertificate FetchPython Bundle Sign Notarize Package",
    // Signed build provenance for what ships; `gh attestation verify FILE -R OWNER/REPO` checks it.
    // Attestations need a public repository or GitHub Enterprise Cloud: dispatch with attest=false elsewhere.
    AttestSubjects = new[] { "artifacts/*.tgz", "artifacts/*.cdx.json" },
    AttestInput = "attest",
    // Notarization waits up to NotaryTimeout (2 h) on Apple's queue, on top of the build itself.
    TimeoutMinutes = 180,
    PublishArtifacts = true)]
// Every push: the tests on Linux (.ci/run installs what they drive), and on a Mac a real ad-hoc
// release of a tiny app followed by Verify, so Apple's own codesign, spctl and xattr judge the
// bundle that the Linux tests only see through fakes.
[Workflow(
    "test",
    GitHubActionsImage.UbuntuLatest,
    GitHubActionsImage.MacOsLatest,
    On = new[] { GitHubActionsTrigger.Push, GitHubActionsTrigger.PullRequest },
    ScriptImage = GitHubActionsImage.UbuntuLatest,
    Script = "bash .ci/run",
    InvokedTargets = new[] { nameof(Release), nameof(Verify) },
    Environment = new[]
    {
        "SIGN_ID=-",
        "SKIP_NOTARIZE=true",
        "APP_SOURCE=tests/apps/tiny-app",
        "REQUIREMENTS=tests/apps/tiny-app/requirements.txt",
        "PIP_ARGS=--no-index",
        "CPYTHON_URL=" + PythonBuildStandalone,
    },
    TimeoutMinutes = 30,
    PublishArtifacts = true)]
partial class Build
{
    const string PythonBuildStandalone =
        "https://github.com/astral-sh/python-build-standalone/releases/download/20251014/cpython-3.12.12%2B20251014-aarch64-apple-darwin-install_only.tar.gz";
}
