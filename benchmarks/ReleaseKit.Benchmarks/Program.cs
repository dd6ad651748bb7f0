using System.Runtime.Versioning;
using ReleaseKit.Benchmarks;

[assembly: UnsupportedOSPlatform("windows")]

// dotnet run -c Release --project benchmarks/ReleaseKit.Benchmarks -- <benchmark> [--size-mb N] [--rounds N]
var benchmarks = new Dictionary<string, Func<BenchmarkOptions, Task>>
{
    ["extract"] = ExtractBenchmark.RunAsync,
    ["package"] = PackageBenchmark.RunAsync,
    ["upload"] = UploadBenchmark.RunAsync,
    ["scan"] = SignBenchmarks.ScanAsync,
    ["sign"] = SignBenchmarks.SignAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine($"usage: <{string.Join('|', benchmarks.Keys)}> [--size-mb N] [--rounds N] [--files N] [--tree DIR]");
    return 2;
}

await benchmark(BenchmarkOptions.Parse(args[1..]));
return 0;
