using System.Text.RegularExpressions;
using ReleaseKit.Tooling;

namespace ReleaseKit.Inventory;

/// <summary>
/// What a release engineer must look at before shipping: distributions that declare no licence,
/// and copyleft (GPL, LGPL, AGPL) ones, whose terms reach further than the permissive rest.
/// </summary>
public static partial class LicensePolicy
{
    public sealed record Finding(string Package, string Problem)
    {
        public override string ToString() => $"{Package} ({Problem})";
    }

    public static IReadOnlyList<Finding> Check(IEnumerable<PythonDistribution> distributions) =>
        distributions.Select(x => x.License switch
            {
                null => new Finding($"{x.Name} {x.Version}", "no licence information"),
                var license when Copyleft().IsMatch(license) => new Finding($"{x.Name} {x.Version}", $"copyleft: {license.ReplaceLineEndings(" ")}"),
                _ => null,
            })
            .OfType<Finding>()
            .ToArray();

    public static void Enforce(IReadOnlyList<Finding> findings, LicensePolicyMode mode)
    {
        if (findings.Count == 0)
            return;
        var list = string.Join("; ", findings);
        if (mode == LicensePolicyMode.Fail)
            throw new ReleaseException($"The licence policy stops the release: {list}. Replace or remove these packages, or set LICENSE_POLICY=warn after a review");
        Serilog.Log.Warning("Licence review needed for {Count} package(s): {Findings:l}", findings.Count, list);
    }

    /// <summary>
    /// Reviews what a finished bundle ships and applies the policy; a bundle the policy refuses is
    /// removed, so no later stage can sign and ship it.
    /// </summary>
    /// <returns>What a person should review (for the release summary).</returns>
    public static IReadOnlyList<Finding> Review(string bundleFolder, IEnumerable<PythonDistribution> distributions, LicensePolicyMode mode)
    {
        var findings = Check(distributions);
        try
        {
            Enforce(findings, mode);
        }
        catch (ReleaseException)
        {
            Directory.Delete(bundleFolder, recursive: true);
            throw;
        }

        return findings;
    }

    // SPDX ids (GPL-3.0-only, LGPL-2.1-or-later, AGPL-3.0) and classifier names ("GNU General Public License v3 (GPLv3)").
    [GeneratedRegex(@"\b(A?GPL|LGPL)|GNU (Affero |Lesser |Library )?General Public License", RegexOptions.IgnoreCase)]
    private static partial Regex Copyleft();
}
