namespace ReleaseKit.Benchmarks;

public sealed record BenchmarkOptions(int SizeMegabytes, int Rounds, string WorkDirectory)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(x => x != name).Skip(1).FirstOrDefault();
        return new BenchmarkOptions(
            int.Parse(Value("--size-mb") ?? "600"),
            int.Parse(Value("--rounds") ?? "3"),
            Value("--work") ?? Path.GetTempPath());
    }
}
