namespace ReleaseKit.Tests.Support;

/// <summary>
/// The test tiers. Slow: what runs the real host, a whole release, or real pip installs (minutes);
/// `dotnet test tests/ReleaseKit.Tests --filter "Category!=Slow"` runs the rest, the fast tier,
/// in about a minute. .ci/run runs both.
/// </summary>
public static class TestTier
{
    public const string Slow = "Slow";
}
