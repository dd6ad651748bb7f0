namespace ReleaseKit.Tooling;

/// <summary>A C compiler driver (clang, cc, gcc) that takes clang's and gcc's common flags.</summary>
public sealed class CCompiler(ToolRunner runner, string name)
{
    public static ExternalTool Tool(string name) =>
        new(name, "install a C compiler: xcode-select --install on macOS, apt-get install clang on Debian; --cc chooses another");

    /// <summary>Compiles and links one source file into <paramref name="output"/>.</summary>
    public Task CompileAsync(IReadOnlyList<string> flags, string source, string output, CancellationToken cancellationToken) =>
        runner.RunAsync(new ToolCommand(name, Arguments(flags, source, output)), cancellationToken);

    /// <summary>The flags first, then -o and the source, as both drivers document.</summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> flags, string source, string output) => [.. flags, "-o", output, source];
}
