using System.Text.Json;

namespace ReleaseKit.Tests.Support;

/// <summary>
/// Puts the Python fakes of Apple's tools (tests/ReleaseKit.Tests/Fakes) on a <see cref="FakeTools"/>
/// PATH: codesign that really writes signatures, ditto that writes a real zip, xcrun notarytool,
/// spctl and security with the answers and state of the real tools. Each still records its argv.
/// </summary>
public static class AppleFakes
{
    public const string DeveloperId = "Developer ID Application: Example (TEAM123456)";

    public static FakeTools AddApple(this FakeTools fakes, params string[] tools)
    {
        foreach (var tool in tools.Length == 0 ? ["codesign", "ditto", "xcrun", "security", "spctl"] : tools)
            fakes.AddScript(tool, $"exec '{Python.Value}' -S '{ProjectRoot.File($"tests/ReleaseKit.Tests/Fakes/{tool}.py")}' \"$FAKE_CALLS\" \"$@\"");
        return fakes;
    }

    /// <summary>
    /// The interpreter python3 names, resolved once: a version manager's shim (pyenv's costs about
    /// 0.4 s a call) would dominate every fake call. -S: the fakes need nothing but the standard library.
    /// </summary>
    private static readonly Lazy<string> Python = new(() =>
        Shell.Run("python3", "-c", "import os, sys; print(os.path.realpath(sys.executable))").Trim());

    /// <summary>What the notary fake answers; see the keys in Fakes/xcrun.py.</summary>
    public static void NotaryScenario(this FakeTools fakes, object scenario) =>
        File.WriteAllText(Path.Combine(fakes.CallsDirectory, "notary.json"), JsonSerializer.Serialize(scenario));

    /// <summary>Writes a fault file read by a fake (codesign.reject, security.fail, security.untrusted).</summary>
    public static void Fault(this FakeTools fakes, string name, string content = "") =>
        File.WriteAllText(Path.Combine(fakes.CallsDirectory, name), content);

    /// <summary>notarytool calls of one subcommand (submit, wait, info, log), without the leading "notarytool".</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Notarytool(this FakeTools fakes, string subcommand) =>
        fakes.Calls("xcrun").Where(x => x.Count > 1 && x[0] == "notarytool" && x[1] == subcommand).Select(x => (IReadOnlyList<string>)x.Skip(1).ToArray()).ToArray();
}
