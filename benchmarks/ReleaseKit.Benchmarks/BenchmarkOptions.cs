namespace ReleaseKit.Benchmarks;

/// <param name="Tree">An existing folder to measure instead of a generated Python-like tree.</param>
/// <param name="Files">How many files the scan and sign benchmarks create.</param>
public sealed record BenchmarkOptions(int SizeMegabytes, int Rounds, string WorkDirectory, string? Tree, int? Files)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(x => x != name).Skip(1).FirstOrDefault();
        return new BenchmarkOptions(
            int.Parse(Value("--size-mb") ?? "600"),
            int.Parse(Value("--rounds") ?? "3"),
            Value("--work") ?? Path.GetTempPath(),
            Value("--tree"),
            Value("--files") is { } files ? int.Parse(files) : null);
    }
}
