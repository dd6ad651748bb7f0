using System.Text.RegularExpressions;
using ReleaseKit.Tooling;

using ReleaseKit.Settings;

namespace ReleaseKit;

/// <summary>
/// Checks the settings for the stages about to run (beside the entry points, since it asks every
/// stage's rules, and Settings itself depends on no stage) and collects every problem, so a release
/// engineer fixes them all in one go instead of meeting them one by one an hour into a release.
/// </summary>
/// <param name="onMacOS">Whether this run happens on macOS, where FetchPython prepares the interpreter with xattr and codesign.</param>
public sealed partial class SettingsCheck(ReleaseSettings settings, ToolLocator tools, bool? onMacOS = null)
{
    private readonly List<string> _problems = [];

    /// <param name="stages">The stages scheduled for this run.</param>
    /// <param name="uploadRequested">Upload was asked for by name, so missing R2 settings are an error rather than a skip.</param>
    public IReadOnlyList<string> Check(ReleaseStage stages, bool uploadRequested = false)
    {
        _problems.Clear();

        CheckIdentity();
        if (stages != ReleaseStage.None)
            Try(() => ReleaseVersion.Resolve(settings.Version, Path.Combine(settings.RootDirectory, "package.json")));
        if (stages.HasFlag(ReleaseStage.FetchPython) || stages.HasFlag(ReleaseStage.Bundle))
            CheckPython();
        if (stages.HasFlag(ReleaseStage.Bundle))
            CheckBundle();
        if (stages.HasFlag(ReleaseStage.FetchPython) && (onMacOS ?? OperatingSystem.IsMacOS()))
        {
            RequireTool("xattr", "FetchPython");
            RequireTool("codesign", "FetchPython");
        }
        if (stages.HasFlag(ReleaseStage.Sign))
            CheckSigning(notarizing: stages.HasFlag(ReleaseStage.Notarize) && !settings.SkipNotarize);
        if (stages.HasFlag(ReleaseStage.Notarize) && !settings.SkipNotarize)
            CheckNotarization();
        if (stages.HasFlag(ReleaseStage.ImportCertificate))
            CheckCertificateImport();
        if (stages.HasFlag(ReleaseStage.Package) && settings.GzipLevel is < 1 or > 9)
            Add($"{Name(nameof(settings.GzipLevel))} is {settings.GzipLevel}: use a zlib level from 1 (fastest) to 9 (smallest)");
        if (stages.HasFlag(ReleaseStage.Upload))
            CheckUpload(uploadRequested);
        if (stages.HasFlag(ReleaseStage.Verify) && (onMacOS ?? OperatingSystem.IsMacOS()))
        {
            foreach (var tool in new[] { "xattr", "spctl", "codesign" })
                RequireTool(tool, "Verify");
        }

        return _problems.ToArray();
    }

    public void EnsureValid(ReleaseStage stages, bool uploadRequested = false)
    {
        var problems = Check(stages, uploadRequested);
        if (problems.Count > 0)
            throw new SettingsException(problems);
    }

    private void CheckIdentity()
    {
        if (BundleVariantNames.Parse(settings.Variant) is null)
            Add($"{Name(nameof(settings.Variant))} is '{settings.Variant}': use {string.Join(" or ", BundleVariantNames.All)}");

        if (!AppNamePattern().IsMatch(settings.AppName))
            Add($"{Name(nameof(settings.AppName))} is '{settings.AppName}': use letters, digits, '.', '_' or '-' (it becomes a folder and file name)");

        if (!ModulePattern().IsMatch(settings.AppModule))
            Add($"{Name(nameof(settings.AppModule))} is '{settings.AppModule}': use a dotted Python module name such as {ReleaseSettings.DefaultAppModule}");
    }

    private void CheckPython()
    {
        var localPython = Path.Combine(settings.RootDirectory, "python", "bin", "python3");
        if (settings.EmbeddedPython is null && settings.CpythonUrl is null && !File.Exists(localPython))
            Add($"No Python to bundle: set {Name(nameof(settings.CpythonUrl))} to a python-build-standalone aarch64-apple-darwin install_only archive, " +
                $"or {Name(nameof(settings.EmbeddedPython))} to a python folder, or put one at {localPython}");

        if (settings.EmbeddedPython is { } python && !File.Exists(python) && !Directory.Exists(python))
            Add($"{Name(nameof(settings.EmbeddedPython))} points to '{python}', which does not exist: give the python folder or its bin/python3");

        if (settings.CpythonUrl is { } url)
        {
            // Plain http only to this machine (a local mirror or the tests' server): anything else could be altered on the way.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
                Add($"{Name(nameof(settings.CpythonUrl))} must be an https URL (http only for 127.0.0.1 or localhost): '{url}'");
            else
                Try(() => Python.ReleaseChecksums.AssetName(uri));
        }

        if (settings.CpythonSha256 is { } sha && !Sha256Pattern().IsMatch(sha))
            Add($"{Name(nameof(settings.CpythonSha256))} must be 64 hexadecimal characters (a SHA-256), got '{sha}'");
    }

    private void CheckBundle()
    {
        if (LicensePolicyNames.Parse(settings.LicensePolicy) is null)
            Add($"{Name(nameof(settings.LicensePolicy))} is '{settings.LicensePolicy}': use {string.Join(" or ", LicensePolicyNames.All)}");

        // A source folder wins over the package: .nuke/parameters.json keeps a default APP_PACKAGE.
        var hasSource = !string.IsNullOrWhiteSpace(settings.AppSource);
        if (!hasSource && string.IsNullOrWhiteSpace(settings.AppPackage))
            Add($"Bundle needs the app: {Name(nameof(settings.AppSource))} (a local project) or {Name(nameof(settings.AppPackage))} (a requirement such as mlx-knife==2.0.4)");
        if (hasSource && !Directory.Exists(settings.AppSource))
            Add($"{Name(nameof(settings.AppSource))} points to '{settings.AppSource}', which is not a folder");
        if (settings.AppPatches is { } patches && !Directory.Exists(patches))
            Add($"{Name(nameof(settings.AppPatches))} points to '{patches}', which is not a folder of *.patch files");
        if (settings.AppPatches is not null && !hasSource)
            Add($"{Name(nameof(settings.AppPatches))} patches the app's source: it needs {Name(nameof(settings.AppSource))}");

        var requirements = settings.Requirements ?? Path.Combine(settings.RootDirectory, "requirements.txt");
        if (!File.Exists(requirements))
            Add($"{Name(nameof(settings.Requirements))}: {requirements} does not exist");
        foreach (var (name, wheel) in new[] { (nameof(settings.MlxWheel), settings.MlxWheel), (nameof(settings.MlxLmWheel), settings.MlxLmWheel) })
        {
            if (wheel is not null && (!File.Exists(wheel) || !wheel.EndsWith(".whl", StringComparison.Ordinal)))
                Add($"{Name(name)} points to '{wheel}', which is not an existing .whl file");
        }
    }

    private void CheckSigning(bool notarizing)
    {
        if (string.IsNullOrWhiteSpace(settings.SignId))
            Add($"{Name(nameof(settings.SignId))} is not set: export SIGN_ID=\"Developer ID Application: Your Name (TEAMID)\" (CSC_NAME also works), or SIGN_ID=- for an ad-hoc local build with --skip-notarize");
        else if (settings.IsAdHoc && notarizing)
            Add($"{Name(nameof(settings.SignId))} is '-' (ad-hoc), which Apple does not notarize: use a Developer ID Application identity or pass --skip-notarize");

        if (settings.SignParallelism is < 1 or > 64)
            Add($"{Name(nameof(settings.SignParallelism))} is {settings.SignParallelism}: use 1 to 64 codesign processes at a time");

        if (settings.Entitlements is { } entitlements && !File.Exists(entitlements))
            Add($"{Name(nameof(settings.Entitlements))} points to '{entitlements}', which does not exist");

        if (string.IsNullOrWhiteSpace(settings.MacosCertP12) != string.IsNullOrWhiteSpace(settings.MacosCertPassword))
            Add($"{Name(nameof(settings.MacosCertP12))} and {Name(nameof(settings.MacosCertPassword))} go together: set both to import the signing certificate, or neither to use the login keychain");

        RequireTool("codesign", "Sign");
    }

    private void CheckNotarization()
    {
        _problems.AddRange(Notarization.NotaryCredentials.From(settings).Problems);

        if (Notarization.NotaryTimeout.TryParse(settings.NotaryTimeout) is null)
            Add($"{Name(nameof(settings.NotaryTimeout))} is '{settings.NotaryTimeout}': use a duration notarytool understands, such as 2h, 90m or 3600 (seconds), up to 7 days");

        if (settings.NotarySubmissionId is { } id && !Notarization.NotaryResponse.Uuid().IsMatch(id))
            Add($"{Name(nameof(settings.NotarySubmissionId))} is '{id}': give the id notarytool printed, a UUID such as 2efe2717-52ef-43a5-96dc-0797e4ca1041");

        RequireTool("xcrun", "Notarize");
        if (settings.NotarySubmissionId is null)
            RequireTool("ditto", "Notarize");
    }

    private void CheckCertificateImport()
    {
        if (!settings.ImportsCertificate)
            return;

        if (Signing.SigningKeychain.DecodeCertificate(settings.MacosCertP12!) is null)
            Add($"{Name(nameof(settings.MacosCertP12))} is not base64: set it to the output of `base64 -i DeveloperID.p12`");

        if (string.IsNullOrWhiteSpace(settings.SignId) || settings.IsAdHoc)
            Add($"{Name(nameof(settings.MacosCertP12))} is set, so {Name(nameof(settings.SignId))} must name its Developer ID identity, e.g. \"Developer ID Application: Your Name (TEAMID)\"");

        RequireTool("security", "ImportCertificate");
    }

    private void CheckUpload(bool uploadRequested)
    {
        var missing = settings.R2Settings.Where(x => string.IsNullOrWhiteSpace(x.Value)).Select(x => x.Name).ToArray();
        if (missing.Length > 0 && (settings.HasAnyR2Setting || uploadRequested))
            Add($"Upload to R2 needs {string.Join(", ", missing.Select(Name))}: set them all, or none to skip the upload");

        if (settings.R2Endpoint is { } endpoint &&
            (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            Add($"{Name(nameof(settings.R2Endpoint))} must be an https URL such as https://<ACCOUNT_ID>.r2.cloudflarestorage.com, got '{endpoint}'");

        if (settings.R2Path is { } prefix && Publishing.ReleaseManifest.ProblemWithPrefix(prefix) is { } problem)
            Add($"{Name(nameof(settings.R2Path))} '{prefix}' {problem}, such as releases/2.0.0/");
    }

    private void RequireTool(string tool, string stage)
    {
        if (tools.TryFind(tool) is null && !_problems.Any(x => x.StartsWith(tool + " ", StringComparison.Ordinal)))
            Add($"{ToolLocator.DescribeMissing(tool)} ({stage} needs it)");
    }

    private void Try(Action check)
    {
        try
        {
            check();
        }
        catch (ReleaseException exception)
        {
            Add(exception.Message);
        }
    }

    private void Add(string problem) => _problems.Add(problem);

    private static string Name(string parameter) => SettingName.Describe(parameter);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex AppNamePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex ModulePattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
