using ReleaseKit.Tooling;
using System.Text.RegularExpressions;

namespace ReleaseKit.Bundling;

/// <summary>
/// A PEP 440 specifier set such as "&gt;=0.29,!=0.29.1" or "~=0.30.0". An installed version is
/// checked as it is, so a pre-release satisfies a specifier whenever the comparison holds.
/// </summary>
public sealed partial class VersionSpecifier(string text, IReadOnlyList<(string Operator, string Version)> clauses)
{
    public string Text { get; } = text;

    public bool IsEmpty => clauses.Count == 0;

    public static VersionSpecifier Parse(string text)
    {
        var clauses = new List<(string, string)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Clause().Match(part);
            if (!match.Success)
                throw new ReleaseException($"'{part}' is not a PEP 440 version specifier (in '{text}')");
            clauses.Add((match.Groups["op"].Value, match.Groups["version"].Value));
        }

        return new VersionSpecifier(text.Trim(), clauses);
    }

    public bool IsSatisfiedBy(string installed)
    {
        if (!Pep440Version.TryParse(installed, out var version))
            return clauses.All(x => x.Operator == "===" && x.Version == installed);
        return clauses.All(x => Matches(x.Operator, x.Version, version, installed));
    }

    private static bool Matches(string op, string spec, Pep440Version installed, string installedText)
    {
        if (op == "===")
            return string.Equals(spec, installedText, StringComparison.OrdinalIgnoreCase);

        if (spec.EndsWith(".*"))
        {
            var prefix = Pep440Version.Parse(spec[..^2]);
            var same = PrefixMatches(prefix, installed);
            return op == "==" ? same : !same;
        }

        var target = Pep440Version.Parse(spec);
        // A specifier without a local label ignores the installed version's local label.
        var candidate = target.Local is null ? installed.Public : installed;
        return op switch
        {
            "==" => candidate.Equals(target),
            "!=" => !candidate.Equals(target),
            ">=" => candidate >= target,
            "<=" => candidate <= target,
            // Exclusive comparisons do not match post-releases (or pre-releases) of the version itself.
            ">" => candidate > target && !(candidate.Post is not null && target.Post is null && SameRelease(candidate, target)),
            "<" => candidate < target && !(candidate.IsPrerelease && !target.IsPrerelease && SameRelease(candidate, target)),
            "~=" => candidate >= target && PrefixMatches(Pep440Version.Parse(string.Join('.', target.Release.SkipLast(1))), candidate.Public),
            _ => false,
        };
    }

    // 0.29.0rc1 is a pre-release of 0.29: releases compare padded with zeros.
    private static bool SameRelease(Pep440Version a, Pep440Version b) =>
        a.Epoch == b.Epoch && Enumerable.Range(0, Math.Max(a.Release.Count, b.Release.Count))
            .All(i => (i < a.Release.Count ? a.Release[i] : 0) == (i < b.Release.Count ? b.Release[i] : 0));

    // "==1.2.*": the installed release starts with 1.2 (padded with zeros), whatever follows.
    private static bool PrefixMatches(Pep440Version prefix, Pep440Version installed)
    {
        if (prefix.Epoch != installed.Epoch)
            return false;
        for (var i = 0; i < prefix.Release.Count; i++)
        {
            var part = i < installed.Release.Count ? installed.Release[i] : 0;
            if (part != prefix.Release[i])
                return false;
        }

        return true;
    }

    public override string ToString() => Text;

    [GeneratedRegex(@"^(?<op>===|==|!=|~=|>=|<=|>|<)\s*(?<version>[A-Za-z0-9]\S*)$")]
    private static partial Regex Clause();
}
