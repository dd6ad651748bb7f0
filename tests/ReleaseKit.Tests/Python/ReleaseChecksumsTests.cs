using ReleaseKit.Python;

namespace ReleaseKit.Tests.Python;

public class ReleaseChecksumsTests
{
    [Theory]
    [InlineData(
        "https://github.com/astral-sh/python-build-standalone/releases/download/20251014/cpython-3.12.12%2B20251014-aarch64-apple-darwin-install_only.tar.gz",
        "https://github.com/astral-sh/python-build-standalone/releases/download/20251014/SHA256SUMS")]
    [InlineData(
        "https://github.com/astral-sh/python-build-standalone/releases/download/20251014/cpython-3.13.9+20251014-aarch64-apple-darwin-pgo+lto-full.tar.zst",
        "https://github.com/astral-sh/python-build-standalone/releases/download/20251014/SHA256SUMS")]
    public void Finds_the_release_SHA256SUMS_next_to_an_asset(string asset, string sums)
    {
        ReleaseChecksums.SumsUrlFor(new Uri(asset))!.AbsoluteUri.Should().Be(sums);
    }

    [Theory]
    [InlineData("https://example.com/python/cpython-3.12.tar.gz")]
    [InlineData("https://github.com/astral-sh/python-build-standalone/releases/download/20251014/SHA256SUMS")]
    public void Other_URLs_have_no_release_checksums(string url)
    {
        ReleaseChecksums.SumsUrlFor(new Uri(url)).Should().BeNull();
    }

    [Fact]
    public void Decodes_the_plus_in_an_asset_name()
    {
        ReleaseChecksums.AssetName(new Uri("https://h/r/releases/download/t/cpython-3.12.12%2B20251014-aarch64-apple-darwin-install_only.tar.gz"))
            .Should().Be("cpython-3.12.12+20251014-aarch64-apple-darwin-install_only.tar.gz");
    }

    [Fact]
    public void Parses_sha256sum_output_in_text_and_binary_mode()
    {
        var a = new string('A', 64);
        var b = new string('b', 64);

        var sums = ReleaseChecksums.Parse($"{a}  cpython-a.tar.gz\r\n{b} *cpython-b.tar.zst\nnot a line\n\n");

        sums.Should().BeEquivalentTo(new Dictionary<string, string> { ["cpython-a.tar.gz"] = a.ToLowerInvariant(), ["cpython-b.tar.zst"] = b });
    }
}
