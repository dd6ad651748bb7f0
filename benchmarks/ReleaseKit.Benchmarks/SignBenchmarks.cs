using System.Buffers.Binary;
using System.Diagnostics;
using ReleaseKit.MachO;
using ReleaseKit.Signing;
using ReleaseKit.Tooling;

namespace ReleaseKit.Benchmarks;

/// <summary>
/// scan: MachOScanner against the shell loop it replaces, one `file -b` per file, on the same tree.
/// sign: BundleSigner with its defaults against one file per codesign call, one call at a time,
/// both through a fake codesign that takes 200 ms per call (the wait on Apple's timestamp server).
/// </summary>
public static class SignBenchmarks
{
    public static async Task ScanAsync(BenchmarkOptions options)
    {
        var work = Directory.CreateTempSubdirectory("scan-bench-").FullName;
        try
        {
            var files = options.Files ?? 20_000;
            var expected = CreateTree(work, files, machOEvery: 40);
            Console.WriteLine($"tree: {files} files, {expected.Count} of them Mach-O");

            HashSet<string> shellFound = [];
            var baseline = await Measure.Time(async () => shellFound = await ShellLoop(work));
            var ours = new List<TimeSpan>();
            IReadOnlyList<string> found = [];
            for (var round = 0; round < options.Rounds; round++)
                ours.Add(await Measure.Time(() => Task.Run(() => found = MachOScanner.Find(work))));

            Console.WriteLine($"find | file -b loop (baseline): {Measure.Seconds(baseline)}");
            Console.WriteLine($"MachOScanner:                  {Measure.Seconds(Measure.Median(ours))}");
            Console.WriteLine($"same files found: {(found.ToHashSet().SetEquals(shellFound) && shellFound.SetEquals(expected) ? "yes" : "NO")}");
            Console.WriteLine($"ratio: {baseline / Measure.Median(ours):0}x faster (target >= 50x)");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public static async Task SignAsync(BenchmarkOptions options)
    {
        var work = Directory.CreateTempSubdirectory("sign-bench-").FullName;
        try
        {
            var files = options.Files ?? 2_000;
            var bundle = Path.Combine(work, "bundle");
            CreateTree(bundle, files, machOEvery: 1);
            var bin = Directory.CreateDirectory(Path.Combine(work, "bin")).FullName;
            var fake = Path.Combine(bin, "codesign");
            File.WriteAllText(fake, "#!/bin/sh\nsleep 0.2\n");
            File.SetUnixFileMode(fake, (UnixFileMode)0x1ED);
            var runner = new ToolRunner(new SecretMasker(), bin + ":" + Environment.GetEnvironmentVariable("PATH"));
            var plist = Path.Combine(work, "entitlements.plist");
            File.WriteAllText(plist, EntitlementsPlist.Create(true, null));
            Console.WriteLine($"bundle: {files} Mach-O files; fake codesign: 200 ms per call");

            var serial = await Measure.Time(() => new BundleSigner(runner) { Parallelism = 1, BatchSize = 1 }.SignAsync(bundle, SigningIdentity.AdHoc, plist, [], CancellationToken.None));
            var ours = await Measure.Time(() => new BundleSigner(runner) { Parallelism = SigningParameters.DefaultSignParallelism }.SignAsync(bundle, SigningIdentity.AdHoc, plist, [], CancellationToken.None));

            Console.WriteLine($"one file per call, one at a time (baseline): {Measure.Seconds(serial)}");
            Console.WriteLine($"BundleSigner ({SigningParameters.DefaultSignParallelism} calls at a time, 8 files per call): {Measure.Seconds(ours)}");
            Console.WriteLine($"ratio: {serial / ours:0.0}x faster (target >= 6x)");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Small text files with a thin arm64 dylib header in every <paramref name="machOEvery"/>-th.</summary>
    private static HashSet<string> CreateTree(string root, int files, int machOEvery)
    {
        var machO = new byte[4096];
        BinaryPrimitives.WriteUInt32LittleEndian(machO, 0xfeedfacf);
        BinaryPrimitives.WriteInt32LittleEndian(machO.AsSpan(4), 0x0100000c);
        BinaryPrimitives.WriteUInt32LittleEndian(machO.AsSpan(12), MachOSlice.Dylib);
        var text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("import os\nprint(os.name)\n", 40)));
        var found = new HashSet<string>();
        for (var i = 0; i < files; i++)
        {
            var directory = Directory.CreateDirectory(Path.Combine(root, $"pkg{i / 500}", $"mod{i / 50 % 10}")).FullName;
            var isMachO = i % machOEvery == 0;
            var path = Path.Combine(directory, isMachO ? $"_ext{i}.so" : $"m{i}.py");
            File.WriteAllBytes(path, isMachO ? machO : text);
            if (isMachO)
                found.Add(path);
        }

        return found;
    }

    /// <summary>The shell approach: one file(1) process per file, keeping what it calls Mach-O (but not objects).</summary>
    private static async Task<HashSet<string>> ShellLoop(string root)
    {
        var info = new ProcessStartInfo("bash", ["-c", $"find '{root}' -type f | while read -r f; do echo \"$f\"; file -b \"$f\"; done"]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var lines = (await process.StandardOutput.ReadToEndAsync()).Split('\n');
        await process.WaitForExitAsync();
        var found = new HashSet<string>();
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            if (lines[i + 1].StartsWith("Mach-O", StringComparison.Ordinal) && !lines[i + 1].Contains("object"))
                found.Add(lines[i]);
        }

        return found;
    }
}
