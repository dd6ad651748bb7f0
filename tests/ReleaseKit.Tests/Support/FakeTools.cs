using System.Text;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Support;

/// <summary>
/// A folder of fake executables put first on the PATH of a <see cref="ToolRunner"/>. Each fake
/// records its argv, then answers with canned stdout/stderr and exit code, or runs a script.
/// The rest of PATH stays, so real tools (python3, tar) remain reachable from a test.
/// </summary>
public sealed class FakeTools : IDisposable
{
    private const char ArgumentSeparator = '\u001f';
    private const char CallSeparator = '\u001e';
    private readonly TempDirectory _directory = new("fake-tools");

    public FakeTools()
    {
        Directory.CreateDirectory(BinDirectory);
        Directory.CreateDirectory(CallsDirectory);
    }

    public string BinDirectory => _directory["bin"];

    public string CallsDirectory => _directory["calls"];

    public string SearchPath => BinDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

    public ToolRunner Runner(SecretMasker? masker = null) => new(masker ?? new SecretMasker(), SearchPath);

    /// <summary>A fake that prints <paramref name="stdout"/> and <paramref name="stderr"/> and exits with <paramref name="exitCode"/>.</summary>
    public FakeTools Add(string name, string stdout = "", string stderr = "", int exitCode = 0)
    {
        File.WriteAllText(Path.Combine(CallsDirectory, name + ".stdout"), stdout);
        File.WriteAllText(Path.Combine(CallsDirectory, name + ".stderr"), stderr);
        return AddScript(name, $"""
            cat "$FAKE_CALLS/{name}.stdout"
            cat "$FAKE_CALLS/{name}.stderr" >&2
            exit {exitCode}
            """);
    }

    /// <summary>A fake whose behaviour is a bash script, run after the call is recorded. $FAKE_CALLS is the calls folder.</summary>
    public FakeTools AddScript(string name, string script)
    {
        var path = Path.Combine(BinDirectory, name);
        var content = $"""
            #!/usr/bin/env bash
            FAKE_CALLS='{CallsDirectory}'
            record="$#"$'\x1f'
            for argument in "$@"; do record+="$argument"$'\x1f'; done
            # One write per call, so concurrent calls do not interleave.
            printf '%s\x1e' "$record" >> "$FAKE_CALLS/{name}.calls"
            {script}

            """;
        File.WriteAllText(path, content.ReplaceLineEndings("\n"), new UTF8Encoding(false));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return this;
    }

    /// <summary>The argv of every call to <paramref name="name"/>, in the order they were made.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Calls(string name)
    {
        var path = Path.Combine(CallsDirectory, name + ".calls");
        if (!File.Exists(path))
            return [];

        return File.ReadAllText(path)
            .Split(CallSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(call => (IReadOnlyList<string>)call.Split(ArgumentSeparator)[1..^1])
            .ToArray();
    }

    public void Dispose() => _directory.Dispose();
}
