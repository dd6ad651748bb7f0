using ReleaseKit.Packaging;
using ReleaseKit.Signing;

namespace ReleaseKit.Benchmarks;

/// <summary>Packager against GNU tar -czf and tar | pigz -p2 on the same tree, median of the rounds, with output sizes.</summary>
public static class PackageBenchmark
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        var work = Directory.CreateTempSubdirectory("package-bench-").FullName;
        try
        {
            var bundle = Path.Combine(work, "msty-mlx-studio");
            var files = options.Tree is null
                ? PythonLikeTree.Create(bundle, options.SizeMegabytes)
                : Bundling.TreeCopier.Copy(options.Tree, bundle, $"--tree {options.Tree}");
            SignatureRecord.Write(bundle, new SignatureRecord("-", true, 0, SignatureRecord.FingerprintOf(bundle), DateTimeOffset.UtcNow)
            {
                Contents = await SignatureRecord.HashContentsAsync(bundle, CancellationToken.None),
            });
            Console.WriteLine($"tree: {files} entries from {options.Tree ?? $"a generated {options.SizeMegabytes} MB tree"}");

            var gnu = new List<TimeSpan>();
            var pigz = new List<TimeSpan>();
            var ours = new List<TimeSpan>();
            long gnuSize = 0, pigzSize = 0, ourSize = 0;
            for (var round = 0; round < options.Rounds; round++)
            {
                var gnuOut = Path.Combine(work, "gnu.tgz");
                gnu.Add(await Measure.Time(() => Task.Run(() => Measure.Run("tar", "-C", work, "-czf", gnuOut, "msty-mlx-studio"))));
                gnuSize = new FileInfo(gnuOut).Length;
                File.Delete(gnuOut);

                var pigzOut = Path.Combine(work, "pigz.tgz");
                pigz.Add(await Measure.Time(() => Task.Run(() => Measure.Run("bash", "-c", $"tar -C '{work}' -cf - msty-mlx-studio | pigz -p2 > '{pigzOut}'"))));
                pigzSize = new FileInfo(pigzOut).Length;
                File.Delete(pigzOut);

                var artifacts = Path.Combine(work, "artifacts");
                ours.Add(await Measure.Time(() => Packager.PackageAsync(bundle, "msty-mlx-studio", "1.0.0", artifacts, DeterministicTar.DefaultTime, allowAdHoc: true, CancellationToken.None)));
                ourSize = new FileInfo(Path.Combine(artifacts, "msty-mlx-studio-1.0.0.tgz")).Length;
                Directory.Delete(artifacts, true);

                Console.WriteLine($"round {round + 1}: tar -czf {Measure.Seconds(gnu[^1])}, tar|pigz -p2 {Measure.Seconds(pigz[^1])}, Packager {Measure.Seconds(ours[^1])}");
            }

            var (g, p, o) = (Measure.Median(gnu), Measure.Median(pigz), Measure.Median(ours));
            Console.WriteLine($"GNU tar -czf (baseline): {Measure.Seconds(g)}, {gnuSize >> 20} MB");
            Console.WriteLine($"tar | pigz -p2:          {Measure.Seconds(p)}, {pigzSize >> 20} MB");
            Console.WriteLine($"Packager:                {Measure.Seconds(o)}, {ourSize >> 20} MB");
            Console.WriteLine($"ratio vs tar -czf:   {o / g:0.00}x wall time (target <= 0.30x)");
            Console.WriteLine($"ratio vs tar|pigz:   {o / p:0.00}x wall time (target <= 0.60x)");
            Console.WriteLine($"size vs tar -czf:    {(double)ourSize / gnuSize:0.000}x (target <= 1.0x)");

            // What comparing every file with Sign's record costs when it is paid on the writer's thread.
            var hashing = await Measure.Time(async () =>
            {
                foreach (var file in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories))
                    await Tooling.FileHash.Sha256Async(file, CancellationToken.None);
            });
            Console.WriteLine($"signing-record hash: {Measure.Seconds(hashing)} on one thread, {hashing / o:0%} of Packager's time; Packager pays it on another core while it compresses");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
