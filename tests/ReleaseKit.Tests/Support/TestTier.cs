namespace ReleaseKit.Tests.Support;

/// <summary>
/// The test tiers. Slow: what runs the real host, a whole release, or real pip installs (minutes);
/// `dotnet test tests/ReleaseKit.Tests --filter "Category!=Slow"` runs the rest, the fast tier,
/// in about a minute. .ci/run runs both.
/// </summary>
public static class TestTier
{
    public const string Slow = "Slow";

    /// <summary>
    /// Builds a python from this machine's python3 (the bundled python, the fake CPython archive):
    /// .ci/run runs these again with the system's /usr/bin/python3 first on PATH, whose layout
    /// (Debian's dist-packages, links into /etc) differs from a self-contained python's.
    /// </summary>
    public const string HostPython = "HostPython";
}
