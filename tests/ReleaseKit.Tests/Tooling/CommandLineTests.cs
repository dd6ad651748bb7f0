using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Tooling;

public class CommandLineTests
{
    [Theory]
    [InlineData("--timestamp", "--timestamp")]
    [InlineData("/tmp/a.so", "/tmp/a.so")]
    [InlineData("", "''")]
    [InlineData("Developer ID Application: A (T)", "'Developer ID Application: A (T)'")]
    [InlineData("it's", @"'it'\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    public void Quotes_an_argument_only_when_a_shell_would_need_it(string argument, string expected)
    {
        CommandLine.Quote(argument).Should().Be(expected);
    }

    [Fact]
    public void Formats_a_command_that_a_shell_reads_back_as_the_same_argv()
    {
        string[] arguments = ["--sign", "Dev ID: O'Neil", "", "a b"];
        var line = CommandLine.Format("printf", ["%s\\n", .. arguments]);

        var shell = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", line]) { RedirectStandardOutput = true })!;
        var output = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();

        output.Should().Be(string.Join("", arguments.Select(x => x + "\n")));
    }
}
