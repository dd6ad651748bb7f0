using System.IO.Compression;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Bundling;

/// <summary>
/// Installs wheels by unpacking them (what pip does for a --target install), for wheels
/// downloaded for another platform that no local python can install.
/// </summary>
public static class WheelUnpacker
{
    public static void Unpack(string wheel, string target)
    {
        using var archive = ZipFile.OpenRead(wheel);
        foreach (var entry in archive.Entries.Where(x => !x.FullName.EndsWith('/')))
        {
            var relative = Destination(entry.FullName, wheel);
            if (relative is null)
                continue;

            var path = Path.GetFullPath(Path.Combine(target, relative));
            if (!path.StartsWith(Path.GetFullPath(target) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new ReleaseException($"The wheel {wheel} holds {entry.FullName}, which would land outside the bundle: it is damaged or hostile");

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (File.Exists(path))
                Log.Warning("{Wheel} overwrites {File}, installed by another wheel", Path.GetFileName(wheel), relative);
            entry.ExtractToFile(path, overwrite: true);

            // Zip keeps the Unix mode in the upper half of the external attributes (0 when the tool did not record one).
            var mode = (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF);
            var scripts = relative.StartsWith("bin/", StringComparison.Ordinal);
            File.SetUnixFileMode(path, mode != 0 ? mode : scripts ? (UnixFileMode)0x1ED : (UnixFileMode)0x1A4);
            File.SetLastWriteTimeUtc(path, entry.LastWriteTime.UtcDateTime);
        }
    }

    // name-1.0.data/purelib and platlib go to the top (as for --target), scripts to bin/;
    // headers and data files have no place in a bundle.
    private static string? Destination(string name, string wheel)
    {
        if (name.StartsWith('/') || name.Split('/').Contains(".."))
            throw new ReleaseException($"The wheel {wheel} holds the unsafe path {name}: it is damaged or hostile");

        var parts = name.Split('/', 3);
        if (parts.Length < 3 || !parts[0].EndsWith(".data", StringComparison.Ordinal))
            return name;
        return parts[1] switch
        {
            "purelib" or "platlib" => parts[2],
            "scripts" => "bin/" + parts[2],
            _ => null,
        };
    }
}
