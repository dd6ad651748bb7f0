using System.Text.RegularExpressions;

namespace ReleaseKit.Tooling;

/// <summary>A PEP 440 version, ordered as PEP 440 orders them: 1.0.dev1 &lt; 1.0a1 &lt; 1.0rc1 &lt; 1.0 &lt; 1.0.post1.</summary>
public sealed partial class Pep440Version : IComparable<Pep440Version>, IEquatable<Pep440Version>
{
    private Pep440Version(string text, int epoch, int[] release, (int Kind, int Number)? pre, int? post, int? dev, string? local)
    {
        Text = text;
        Epoch = epoch;
        Release = release;
        Pre = pre;
        Post = post;
        Dev = dev;
        Local = local;
    }

    public string Text { get; }
    public int Epoch { get; }
    public IReadOnlyList<int> Release { get; }

    /// <summary>0 = a, 1 = b, 2 = rc.</summary>
    public (int Kind, int Number)? Pre { get; }
    public int? Post { get; }
    public int? Dev { get; }
    public string? Local { get; }

    public bool IsPrerelease => Pre is not null || Dev is not null;

    /// <summary>The canonical spelling (PEP 440 normalisation): 2.0.0-Beta.6 is 2.0.0b6, v1.0-post2 is 1.0.post2.</summary>
    public string Normalized =>
        (Epoch != 0 ? $"{Epoch}!" : "") + string.Join('.', Release) +
        (Pre is { } pre ? (pre.Kind switch { 0 => "a", 1 => "b", _ => "rc" }) + pre.Number : "") +
        (Post is { } post ? $".post{post}" : "") + (Dev is { } dev ? $".dev{dev}" : "") + (Local is { } local ? "+" + local : "");

    public Pep440Version Public => new(Text, Epoch, Release.ToArray(), Pre, Post, Dev, null);

    public static Pep440Version Parse(string text) =>
        TryParse(text, out var version) ? version : throw new ReleaseException($"'{text}' is not a PEP 440 version");

    public static bool TryParse(string text, out Pep440Version version)
    {
        version = null!;
        var match = Pattern().Match(text.Trim());
        // A number too large for an int is no version anyone releases.
        if (!match.Success || LongNumber().IsMatch(match.Value))
            return false;

        (int, int)? pre = null;
        if (match.Groups["pre"].Success)
        {
            var kind = match.Groups["pre_l"].Value.ToLowerInvariant() switch
            {
                "a" or "alpha" => 0,
                "b" or "beta" => 1,
                _ => 2, // c, rc, pre, preview
            };
            pre = (kind, Number(match.Groups["pre_n"]));
        }

        int? post = match.Groups["post_n1"].Success ? int.Parse(match.Groups["post_n1"].Value)
            : match.Groups["post"].Success ? Number(match.Groups["post_n2"]) : null;
        int? dev = match.Groups["dev"].Success ? Number(match.Groups["dev_n"]) : null;

        version = new Pep440Version(
            text.Trim(),
            match.Groups["epoch"].Success ? int.Parse(match.Groups["epoch"].Value) : 0,
            match.Groups["release"].Value.Split('.').Select(int.Parse).ToArray(),
            pre,
            post,
            dev,
            match.Groups["local"].Success ? match.Groups["local"].Value.ToLowerInvariant() : null);
        return true;

        static int Number(Group group) => group.Success && group.Value.Length > 0 ? int.Parse(group.Value) : 0;
    }

    public int CompareTo(Pep440Version? other)
    {
        if (other is null)
            return 1;
        var result = Epoch.CompareTo(other.Epoch);
        if (result != 0)
            return result;

        for (var i = 0; i < Math.Max(Release.Count, other.Release.Count); i++)
        {
            result = Part(Release, i).CompareTo(Part(other.Release, i));
            if (result != 0)
                return result;
        }

        result = PreKey(this).CompareTo(PreKey(other));
        if (result != 0)
            return result;
        result = (Post ?? -1).CompareTo(other.Post ?? -1);
        if (result != 0)
            return result;
        result = (Dev ?? int.MaxValue).CompareTo(other.Dev ?? int.MaxValue);
        if (result != 0)
            return result;
        return string.CompareOrdinal(Local ?? "", other.Local ?? "");

        static int Part(IReadOnlyList<int> release, int index) => index < release.Count ? release[index] : 0;

        // A dev release without a pre-release (1.0.dev1) sorts before 1.0a1; a final release after any pre-release.
        static (int, int) PreKey(Pep440Version v) =>
            v.Pre is { } pre ? pre : v.Dev is not null && v.Post is null ? (-1, 0) : (int.MaxValue, 0);
    }

    public bool Equals(Pep440Version? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is Pep440Version other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Epoch, string.Join('.', Release.Reverse().SkipWhile(x => x == 0).Reverse()), Pre, Post, Dev, Local);

    public override string ToString() => Text;

    public static bool operator <(Pep440Version a, Pep440Version b) => a.CompareTo(b) < 0;
    public static bool operator >(Pep440Version a, Pep440Version b) => a.CompareTo(b) > 0;
    public static bool operator <=(Pep440Version a, Pep440Version b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Pep440Version a, Pep440Version b) => a.CompareTo(b) >= 0;

    // The normalisation rules of PEP 440 ("Appendix B"), case-insensitive, with the usual separators.
    [GeneratedRegex(@"^v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)" +
                    @"(?<pre>[-_.]?(?<pre_l>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<pre_n>[0-9]+)?)?" +
                    @"(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?:post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?" +
                    @"(?<dev>[-_.]?dev[-_.]?(?<dev_n>[0-9]+)?)?" +
                    @"(?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    [GeneratedRegex("[0-9]{10}")]
    private static partial Regex LongNumber();
}
