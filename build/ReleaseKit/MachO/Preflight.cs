using System.Text.Json;
using System.Text.Json.Serialization;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.MachO;

public enum PreflightMode
{
    /// <summary>What Apple's notary service will demand: Developer ID, hardened runtime, secure timestamp.</summary>
    Release,

    /// <summary>A local or ad-hoc build: those three only warn.</summary>
    Local,
}

public sealed record PreflightFinding(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("problem")] string Problem);

public sealed record PreflightReport(
    [property: JsonPropertyName("root")] string Root,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("files")] int Files,
    [property: JsonPropertyName("findings")] IReadOnlyList<PreflightFinding> Findings)
{
    [JsonPropertyName("passed")]
    public bool Passed => Findings.All(x => x.Severity != "error");

    public int Errors => Findings.Count(x => x.Severity == "error");

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }) + "\n";
}

/// <summary>
/// The notarization preflight, without Apple's tools: every Mach-O of a bundle checked for what
/// the notary service rejects (unsigned, ad-hoc, not a Developer ID Application certificate, no
/// hardened runtime, no secure timestamp, get-task-allow, old SDK, universal static libraries)
/// and for what breaks on a user's Mac (no arm64 slice, a minimum macOS above the supported one,
/// libraries or rpaths outside the bundle and the system, mixed teams under library validation).
/// </summary>
public static class Preflight
{
    private static readonly string[] SystemPrefixes = ["/usr/lib/", "/System/"];
    private static readonly OsVersion OldestSdk = new(10, 9, 0);
    private const string GetTaskAllow = "com.apple.security.get-task-allow";

    /// <param name="mainExecutables">Bundle-relative paths of the launcher and python binaries, whose team the libraries must share under library validation.</param>
    /// <param name="minimumMacOs">The oldest macOS the release supports (--macos-min); null skips that check.</param>
    public static PreflightReport Run(string root, PreflightMode mode, bool libraryValidation, IReadOnlyCollection<string> mainExecutables, OsVersion? minimumMacOs = null)
    {
        var findings = new List<PreflightFinding>();
        var scanned = MachOScanner.Scan(root);
        var files = scanned.Where(x => x.Kind == CodeKind.Image).Select(x => x.Path).ToArray();
        var teams = new Dictionary<string, HashSet<string?>>();
        foreach (var (path, kind) in scanned.Where(x => x.Kind != CodeKind.Image))
            findings.Add(StaticLibrary(Path.GetRelativePath(root, path), kind, mode));
        foreach (var path in files)
        {
            var relative = Path.GetRelativePath(root, path);
            var file = MachOReader.Read(path);
            void Add(string architecture, string problem, bool releaseOnly = false) =>
                findings.Add(new PreflightFinding(relative, architecture, releaseOnly && mode == PreflightMode.Local ? "warning" : "error", problem));

            if (!file.IsValid)
            {
                Add("-", file.Error!);
                continue;
            }

            if (file.Slices.All(x => x.Architecture != "arm64"))
                Add(string.Join(",", file.Slices.Select(x => x.Architecture)), "no arm64 slice: it cannot load on Apple Silicon");

            foreach (var slice in file.Slices)
            {
                var signature = slice.Signature;
                if (signature is null)
                {
                    Add(slice.Architecture, "not signed");
                }
                else
                {
                    if (signature.PagesMatch == false)
                        Add(slice.Architecture, "the signature no longer matches the file: it changed after signing (sign it again, last)");
                    if (signature.IsAdHoc || signature.IsLinkerSigned)
                        Add(slice.Architecture, signature.IsLinkerSigned ? "only linker-signed (ad-hoc)" : "only ad-hoc signed", releaseOnly: true);
                    else if (CertificateProblem(signature) is { } certificate)
                        Add(slice.Architecture, certificate, releaseOnly: true);
                    else if (!signature.CmsHasTimestamp)
                        Add(slice.Architecture, "no secure timestamp (sign with --timestamp)", releaseOnly: true);
                    if (slice.FileType == MachOSlice.Execute && !signature.HasHardenedRuntime)
                        Add(slice.Architecture, "no hardened runtime (sign with --options runtime)", releaseOnly: true);
                    if (EntitlementsProblem(signature.Entitlements) is { } entitlements)
                        Add(slice.Architecture, entitlements);
                    if (!teams.TryGetValue(relative, out var team))
                        teams[relative] = team = [];
                    team.Add(signature.IsAdHoc ? null : signature.TeamId);
                }

                if (slice.Sdk is { } sdk && sdk < OldestSdk)
                    Add(slice.Architecture, $"built with SDK {sdk}, older than 10.9");
                if (minimumMacOs is not null && slice.MinimumOs is { } needs && needs > minimumMacOs)
                    Add(slice.Architecture, $"needs macOS {needs}, newer than the oldest supported macOS {minimumMacOs} (--macos-min): it will not load there; bundle a build for {minimumMacOs} (pip picks wheels by --macos-min) or raise --macos-min");
                foreach (var library in slice.Libraries.Select(x => x.Name).Concat(slice.Rpaths))
                {
                    if (library.StartsWith('/') && !SystemPrefixes.Any(library.StartsWith))
                        Add(slice.Architecture, $"refers to {library}, outside the bundle and the system");
                }
            }
        }

        if (libraryValidation)
            CheckTeams(teams, mainExecutables, findings);

        var report = new PreflightReport(root, mode.ToString().ToLowerInvariant(), files.Length, findings);
        foreach (var finding in findings)
            Log.Write(finding.Severity == "error" ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Warning,
                "{File,-50:l} {Architecture,-8:l} {Severity,-8:l} {Problem:l}", finding.File, finding.Architecture, finding.Severity, finding.Problem);
        Log.Information("Preflight ({Mode}) of {Files} Mach-O files: {Errors} error(s), {Warnings} warning(s)",
            report.Mode, files.Length, report.Errors, findings.Count - report.Errors);
        return report;
    }

    // The notary service accepts only code signed with a Developer ID Application certificate
    // ("The binary is not signed with a valid Developer ID certificate" otherwise).
    private static string? CertificateProblem(CodeSignature signature) => signature.Certificate switch
    {
        null => "its signature carries no certificate that can be read: sign it again with a Developer ID Application identity",
        { Kind: CertificateKind.DeveloperIdApplication } => null,
        var other => $"signed with {other}: the notary service accepts only Developer ID Application signatures (SIGN_ID=\"Developer ID Application: Name (TEAMID)\")",
    };

    private static string? EntitlementsProblem(string? entitlements)
    {
        if (entitlements is null)
            return null;
        try
        {
            return PropertyList.IsTrue(PropertyList.Entries(entitlements), GetTaskAllow)
                ? $"requests the {GetTaskAllow} entitlement (debug builds only)"
                : null;
        }
        catch (FormatException exception)
        {
            return $"its entitlements are not a property list macOS can read ({exception.Message})";
        }
    }

    // Apple's DTS (developer forums thread 126038): the notary service ignores a thin static
    // library but takes a universal one for a Mach-O and rejects it as "not signed"; codesign
    // cannot sign either. Nothing loads a static library at run time, so shipping one is a mistake.
    private static PreflightFinding StaticLibrary(string relative, CodeKind kind, PreflightMode mode) =>
        kind == CodeKind.UniversalStaticLibrary
            ? new PreflightFinding(relative, "-", mode == PreflightMode.Release ? "error" : "warning",
                "a universal static library: the notary service rejects it as an unsigned binary, and codesign cannot sign it; remove it from the bundle (nothing loads it at run time) or thin it with lipo -thin arm64")
            : new PreflightFinding(relative, "-", "warning",
                "a static library: the notary service ignores it and nothing loads it at run time; remove it from the bundle to ship less");

    // Under library validation a process loads only libraries signed by its own team.
    private static void CheckTeams(Dictionary<string, HashSet<string?>> teams, IReadOnlyCollection<string> mainExecutables, List<PreflightFinding> findings)
    {
        var expected = mainExecutables.Where(teams.ContainsKey).SelectMany(x => teams[x]).Where(x => x is not null).Distinct().ToArray();
        if (expected.Length != 1)
            return;
        foreach (var (file, team) in teams.Where(x => !mainExecutables.Contains(x.Key)))
        {
            if (team.Any(x => x != expected[0]))
                findings.Add(new PreflightFinding(file, "-", "error",
                    $"signed by team {string.Join(",", team.Select(x => x ?? "(ad-hoc)"))}, not {expected[0]}: library validation will refuse to load it (sign it with the release identity, or keep --disable-libval)"));
        }
    }
}
