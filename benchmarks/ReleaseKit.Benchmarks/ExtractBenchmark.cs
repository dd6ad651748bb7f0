using ReleaseKit.Archives;

namespace ReleaseKit.Benchmarks;

/// <summary>SafeExtractor against GNU tar -xzf on the same archive, alternating, median of the rounds.</summary>
public static class ExtractBenchmark
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        var work = Directory.CreateTempSubdirectory("extract-bench-").FullName;
        try
        {
            var source = Path.Combine(work, "source");
            var files = PythonLikeTree.Create(source, options.SizeMegabytes);
            var archive = Path.Combine(work, "python.tar.gz");
            Measure.Run("tar", "-C", source, "-czf", archive, "python");
            Console.WriteLine($"tree: {files} files, {options.SizeMegabytes} MB; archive {new FileInfo(archive).Length >> 20} MB");

            var tar = new List<TimeSpan>();
            var ours = new List<TimeSpan>();
            for (var round = 0; round < options.Rounds; round++)
            {
                var tarTarget = Path.Combine(work, $"tar-{round}");
                Directory.CreateDirectory(tarTarget);
                tar.Add(await Measure.Time(() => Task.Run(() => Measure.Run("tar", "-C", tarTarget, "-xzf", archive))));

                var ourTarget = Path.Combine(work, $"ours-{round}");
                ours.Add(await Measure.Time(() => SafeExtractor.ExtractAsync(archive, ourTarget)));

                Directory.Delete(tarTarget, true);
                Directory.Delete(ourTarget, true);
                Console.WriteLine($"round {round + 1}: tar -xzf {Measure.Seconds(tar[^1])}, SafeExtractor {Measure.Seconds(ours[^1])}");
            }

            var baseline = Measure.Median(tar);
            var candidate = Measure.Median(ours);
            Console.WriteLine($"GNU tar -xzf (baseline): {Measure.Seconds(baseline)}");
            Console.WriteLine($"SafeExtractor:           {Measure.Seconds(candidate)}");
            Console.WriteLine($"ratio: {candidate / baseline:0.00}x the baseline's wall time (target <= 0.80x)");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
