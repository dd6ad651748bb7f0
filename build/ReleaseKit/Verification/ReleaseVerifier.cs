using ReleaseKit.Archives;
using ReleaseKit.Bundling;
using ReleaseKit.MachO;
using ReleaseKit.Packaging;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Verification;

/// <summary>
/// Checks a shipped tarball the way a user's Mac will meet it: the checksum, a safe extraction,
/// and on macOS the launcher quarantined again (as a download would be) and judged by
/// Gatekeeper and codesign. `spctl -t exec` is only reported: for a command-line binary it always
/// answers "rejected (the code is valid but does not seem to be an app)"; `spctl -t install` and
/// `codesign --check-notarization` are what work for one.
/// </summary>
/// <param name="preflightMode">Release demands Developer ID, hardened runtime and a timestamp; Local only warns about them.</param>
/// <param name="libraryValidation">Whether the bundle keeps library validation (no --disable-libval), so teams must match.</param>
/// <param name="preflightJson">Where to write the preflight report as JSON, if anywhere.</param>
/// <param name="workDirectory">Where the tarball is extracted; the system's temp folder by default.</param>
public sealed class ReleaseVerifier(ToolRunner runner, bool onMacOS, PreflightMode preflightMode = PreflightMode.Release, bool libraryValidation = false, string? preflightJson = null,
    string? workDirectory = null)
{
    /// <summary>The oldest macOS the release supports, checked in the preflight; null skips that check.</summary>
    public OsVersion? MinimumMacOs { get; init; }

    /// <summary>The record of the bundle this tarball was packaged from in this run, or null when that is not known.</summary>
    public Signing.SignatureRecord? Signed { get; init; }

    public async Task<IReadOnlyList<VerifyCheck>> VerifyAsync(string tarball, string appName, CancellationToken cancellationToken)
    {
        if (!File.Exists(tarball))
            throw new ReleaseException($"There is no {tarball} to verify: run Package, pass --version of a packaged release, or --artifact PATH");

        var checks = new List<VerifyCheck>();
        var name = Path.GetFileName(tarball);
        // Read once for the .sha256 and the SBOM, and only when one of them is there.
        string? sha256 = null;
        async Task<string> TarballSha256() => sha256 ??= await FileHash.Sha256Async(tarball, cancellationToken);
        var expected = ChecksumFile.Of(tarball);
        if (File.Exists(expected))
        {
            var wanted = (await ChecksumFile.ReadAsync(expected, cancellationToken)).ToLowerInvariant();
            var actual = await TarballSha256();
            checks.Add(new VerifyCheck(name, "sha256", wanted == actual, wanted == actual ? actual : $"expected {wanted}, got {actual}"));
            if (wanted != actual)
                return VerifyCheck.Report(checks);
        }
        else
        {
            checks.Add(new VerifyCheck(name, "sha256", true, "no .sha256 beside it; not checked", ReportOnly: true));
        }

        // The SBOM Package wrote beside the tarball must describe this tarball, not an earlier one.
        var sbom = Inventory.SoftwareBillOfMaterials.Beside(tarball);
        if (File.Exists(sbom))
        {
            var subject = Inventory.SoftwareBillOfMaterials.SubjectSha256(await File.ReadAllTextAsync(sbom, cancellationToken));
            var actual = await TarballSha256();
            checks.Add(new VerifyCheck(Path.GetFileName(sbom), "sbom subject", subject == actual,
                subject == actual ? "names this tarball's sha256" : $"names sha256 {subject ?? "(none)"}, the tarball has {actual}"));
        }

        var extracted = Path.Combine(workDirectory ?? Path.GetTempPath(), $"verify-{appName}-{Guid.NewGuid():N}");
        try
        {
            var result = await SafeExtractor.ExtractAsync(tarball, extracted, cancellationToken);
            checks.Add(new VerifyCheck(name, "extract", true, $"{result.Files} files, {result.SymbolicLinks} links"));

            var layout = BundleLayout.Found(Path.Combine(extracted, appName), appName);
            var bundle = layout.Folder;
            var launcher = layout.Launcher;
            checks.Add(new VerifyCheck(appName, "launcher present", File.Exists(launcher), launcher[(extracted.Length + 1)..]));
            if (!File.Exists(launcher))
                return VerifyCheck.Report(checks);

            // Packaged in this run: what a user unpacks must be, file for file, what Sign signed.
            if (Signed is { } record)
            {
                var problem = await record.ContentsProblemAsync(bundle, cancellationToken);
                checks.Add(new VerifyCheck(appName, "signed contents", problem is null, problem ?? $"{record.Contents.Count} files as Sign hashed them"));
            }

            var preflight = Preflight.Run(bundle, preflightMode, libraryValidation, layout.Executables, MinimumMacOs);
            if (preflightJson is not null)
                await File.WriteAllTextAsync(preflightJson, preflight.ToJson(), cancellationToken);
            checks.Add(new VerifyCheck(appName, $"preflight ({preflight.Mode})", preflight.Passed, $"{preflight.Files} Mach-O files, {preflight.Errors} error(s)"));
            checks.AddRange(preflight.Findings.Select(x => new VerifyCheck(x.File, "preflight", false, x.Problem, ReportOnly: x.Severity != "error")));

            if (onMacOS)
                await CheckOnMacOSAsync(bundle, launcher, appName, checks, cancellationToken);
            else
                Log.Warning("Gatekeeper and codesign checks need macOS: only the checksum and the archive were verified");

            return VerifyCheck.Report(checks);
        }
        finally
        {
            SafeExtractor.DeleteExtracted(extracted);
        }
    }

    private async Task CheckOnMacOSAsync(string bundle, string launcher, string appName, List<VerifyCheck> checks, CancellationToken cancellationToken)
    {
        // The attribute a browser or curl-through-Finder download would carry: flags;hex time;agent;id.
        var quarantine = $"0081;{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8};{appName}-verify;{Guid.NewGuid().ToString().ToUpperInvariant()}";
        var marked = await new Xattr(runner).WriteAsync(Xattr.Quarantine, quarantine, launcher, cancellationToken);
        checks.Add(new VerifyCheck(appName, "quarantined", marked.Succeeded, Output(marked)));

        // An ad-hoc build (SIGN_ID=-, local preflight) is never notarized, so Gatekeeper rejects it by
        // design: for it these two are reported, and the signatures of every file still decide.
        var local = preflightMode == PreflightMode.Local;
        if (local)
            Log.Warning("Ad-hoc build: Gatekeeper and the notarization check are only reported; other Macs will block it");

        var install = await new Spctl(runner).AssessInstallAsync(launcher, cancellationToken);
        var installText = Output(install);
        checks.Add(new VerifyCheck(appName, "spctl -t install", install.Succeeded && installText.Contains("accepted") && installText.Contains("source=Notarized Developer ID"), installText,
            ReportOnly: local));

        var notarized = await new Codesign(runner).CheckNotarizationAsync(launcher, cancellationToken);
        checks.Add(new VerifyCheck(appName, "codesign notarized", notarized.Succeeded, Output(notarized), ReportOnly: local));

        var exec = await new Spctl(runner).AssessExecAsync(launcher, cancellationToken);
        checks.Add(new VerifyCheck(appName, "spctl -t exec", exec.Succeeded, Output(exec), ReportOnly: true));

        foreach (var file in MachOScanner.Find(bundle))
        {
            var verified = await new Codesign(runner).VerifyAsync(file, cancellationToken);
            checks.Add(new VerifyCheck(Path.GetRelativePath(bundle, file), "codesign --verify", verified.Succeeded, Output(verified)));
        }
    }

    // Apple's tools print their verdicts on stderr.
    private static string Output(ToolResult result) =>
        string.Join(" | ", (result.StandardError + result.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
