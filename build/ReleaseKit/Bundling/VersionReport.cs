using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Bundling;

/// <summary>
/// What actually landed in the bundle, read from each *.dist-info/METADATA: the versions of
/// mlx, mlx-lm and any other named package, checked against requirements.txt.
/// </summary>
public static class VersionReport
{
    public static readonly string[] DefaultPackages = ["mlx", "mlx-lm"];

    public sealed record Line(string Package, string Versions, string Requirement, string? Problem);

    public static IReadOnlyList<Line> Check(string sitePackages, RequirementsFile requirements, IEnumerable<string> extraPackages)
    {
        var installed = Installed(sitePackages);
        var lines = new List<Line>();
        foreach (var package in DefaultPackages.Concat(extraPackages).Select(Requirement.Normalize).Distinct())
        {
            var requirement = requirements.Find(package);
            var versions = installed.TryGetValue(package, out var found) ? found : [];
            var wanted = requirement?.Specifier.IsEmpty == false ? requirement.Specifier.Text : "any";
            string? problem = versions.Count switch
            {
                0 when requirement is not null || !DefaultPackages.Contains(package) => "missing",
                0 => null,
                > 1 => "several versions installed",
                _ when requirement is not null && !requirement.Specifier.IsSatisfiedBy(versions[0]) => $"does not satisfy {requirement.Specifier}",
                _ => null,
            };
            if (versions.Count > 0 || problem is not null)
                lines.Add(new Line(package, versions.Count == 0 ? "-" : string.Join(", ", versions), wanted, problem));
        }

        // Two dist-info folders for one package mean two copies on sys.path: whichever wins, it is wrong.
        foreach (var (package, versions) in installed.Where(x => x.Value.Count > 1 && lines.All(l => l.Package != x.Key)))
            lines.Add(new Line(package, string.Join(", ", versions), "-", "several versions installed"));

        return lines;
    }

    public static void Ensure(string sitePackages, RequirementsFile requirements, IEnumerable<string> extraPackages)
    {
        var lines = Check(sitePackages, requirements, extraPackages);
        foreach (var line in lines)
            Log.Information("{Package,-16:l} {Versions,-14:l} requires {Requirement,-16:l} {Status:l}", line.Package, line.Versions, line.Requirement, line.Problem ?? "ok");

        var problems = lines.Where(x => x.Problem is not null).ToArray();
        if (problems.Length > 0)
            throw new ReleaseException(
                $"The bundle's packages do not match requirements.txt: {string.Join("; ", problems.Select(x => $"{x.Package} {x.Versions}: {x.Problem}"))}. " +
                "Fix requirements.txt, --mlx-wheel/--mlx-lm-wheel or PIP_ARGS and bundle again");
    }

    /// <summary>Normalised package name to the versions of its dist-info folders under the site folder.</summary>
    public static Dictionary<string, List<string>> Installed(string sitePackages)
    {
        var installed = new Dictionary<string, List<string>>();
        if (!Directory.Exists(sitePackages))
            return installed;

        var metadataFiles = Tooling.TreeWalk.Entries(sitePackages)
            .Where(x => x.Info is FileInfo { Name: "METADATA" } && x.Info.LinkTarget is null)
            .Select(x => x.Info.FullName)
            .Where(x => Path.GetFileName(Path.GetDirectoryName(x))!.EndsWith(".dist-info", StringComparison.Ordinal));
        foreach (var metadata in metadataFiles)
        {
            var headers = Inventory.Metadata.Parse(File.ReadAllText(metadata));
            if (headers.Get("Name") is not { } name || headers.Get("Version") is not { } version)
                continue;

            var key = Requirement.Normalize(name);
            if (!installed.TryGetValue(key, out var versions))
                installed[key] = versions = [];
            versions.Add(version);
        }

        return installed;
    }
}
