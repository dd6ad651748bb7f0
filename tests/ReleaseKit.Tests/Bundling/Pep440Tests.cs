using ReleaseKit.Bundling;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Bundling;

public class Pep440Tests
{
    [Fact]
    public void Orders_versions_as_PEP_440_does()
    {
        string[] ordered = ["1.0.dev1", "1.0a1", "1.0a2.dev3", "1.0a2", "1.0b1", "1.0rc1", "1.0", "1.0+local", "1.0.post1.dev1", "1.0.post1", "1.1", "1!0.1"];

        ordered.Select(Pep440Version.Parse).Order().Select(x => x.Text).Should().Equal(ordered);
    }

    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1.0RC1", "1.0rc1")]
    [InlineData("1.0-alpha.1", "1.0a1")]
    [InlineData("1.0c1", "1.0rc1")]
    [InlineData("1.0-1", "1.0.post1")]
    [InlineData("v2.0", "2.0")]
    public void Normalised_spellings_are_equal(string a, string b)
    {
        Pep440Version.Parse(a).Should().Be(Pep440Version.Parse(b));
    }

    [Theory]
    [InlineData("0.30.0", ">=0.29", true)]
    [InlineData("0.30.0rc1", ">=0.30.0", false)]
    [InlineData("0.30.0rc1", ">=0.30.0rc1", true)]
    [InlineData("0.30.0rc1", ">=0.29", true)]
    [InlineData("0.30.0rc1", "~=0.30.0", false)]
    [InlineData("0.30.1", "~=0.30.0", true)]
    [InlineData("0.31.0", "~=0.30.0", false)]
    [InlineData("0.31.0", "~=0.30", true)]
    [InlineData("1.0", "~=0.30", false)]
    [InlineData("0.28.3", "==0.28.*", true)]
    [InlineData("0.29.0", "==0.28.*", false)]
    [InlineData("0.28.3", "!=0.28.*", false)]
    [InlineData("0.28.3", "!=0.28.2", true)]
    [InlineData("0.28.3", ">0.28.2,<0.29", true)]
    [InlineData("0.29.0rc1", "<0.29", false)]
    [InlineData("0.28.2.post1", ">0.28.2", false)]
    [InlineData("0.28.3", ">0.28.2", true)]
    [InlineData("0.28.3", "<=0.28.3", true)]
    [InlineData("0.28.3+cuda", "==0.28.3", true)]
    [InlineData("0.28.3+cuda", "==0.28.3+cpu", false)]
    [InlineData("0.28.3", "===0.28.3", true)]
    [InlineData("0.28.3.0", "===0.28.3", false)]
    [InlineData("0.28.3", "", true)]
    public void Checks_an_installed_version_against_a_specifier(string installed, string specifier, bool satisfied)
    {
        VersionSpecifier.Parse(specifier).IsSatisfiedBy(installed).Should().Be(satisfied);
    }

    [Theory]
    [InlineData("=>1.0")]
    [InlineData(">=")]
    [InlineData("1.0")]
    public void Rejects_malformed_specifiers(string specifier)
    {
        var act = () => VersionSpecifier.Parse(specifier);

        act.Should().Throw<ReleaseException>();
    }
}
