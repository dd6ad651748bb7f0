using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace ReleaseKit.Tests.Support;

/// <summary>Writes small wheels (tagged py3-none-any unless told, binaries allowed) that real pip installs, for a local wheelhouse.</summary>
public static class WheelBuilder
{
    public static string Build(string directory, string name, string version, IReadOnlyDictionary<string, string> files,
        IEnumerable<string>? requires = null, string? consoleScripts = null, IReadOnlyDictionary<string, byte[]>? binaries = null,
        IEnumerable<string>? metadata = null, IReadOnlyDictionary<string, string>? licenses = null, string tag = "py3-none-any")
    {
        Directory.CreateDirectory(directory);
        var distribution = name.Replace('-', '_');
        var distInfo = $"{distribution}-{version}.dist-info";
        var path = Path.Combine(directory, $"{distribution}-{version}-{tag}.whl");

        var entries = new Dictionary<string, byte[]>();
        foreach (var (file, content) in files)
            entries[file] = Encoding.UTF8.GetBytes(content);
        foreach (var (file, content) in binaries ?? new Dictionary<string, byte[]>())
            entries[file] = content;
        var headers = new StringBuilder($"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n");
        foreach (var line in metadata ?? [])
            headers.Append(line).Append('\n');
        foreach (var requirement in requires ?? [])
            headers.Append($"Requires-Dist: {requirement}\n");
        // Metadata 2.4 (PEP 639): licence files live in .dist-info/licenses/, named by License-File.
        foreach (var (file, text) in licenses ?? new Dictionary<string, string>())
        {
            headers.Append($"License-File: {file}\n");
            entries[$"{distInfo}/licenses/{file}"] = Encoding.UTF8.GetBytes(text);
        }
        entries[$"{distInfo}/METADATA"] = Encoding.UTF8.GetBytes(headers.ToString());
        entries[$"{distInfo}/WHEEL"] = Encoding.UTF8.GetBytes($"Wheel-Version: 1.0\nGenerator: releasekit-tests\nRoot-Is-Purelib: {(tag.EndsWith("-any") ? "true" : "false")}\nTag: {tag}\n");
        if (consoleScripts is not null)
            entries[$"{distInfo}/entry_points.txt"] = Encoding.UTF8.GetBytes($"[console_scripts]\n{consoleScripts}\n");

        var record = new StringBuilder();
        foreach (var (file, content) in entries)
            record.Append($"{file},sha256={Convert.ToBase64String(SHA256.HashData(content)).TrimEnd('=').Replace('+', '-').Replace('/', '_')},{content.Length}\n");
        record.Append($"{distInfo}/RECORD,,\n");
        entries[$"{distInfo}/RECORD"] = Encoding.UTF8.GetBytes(record.ToString());

        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (file, content) in entries)
        {
            var entry = zip.CreateEntry(file);
            entry.ExternalAttributes = (file.EndsWith(".dylib") || file.EndsWith(".so") ? 0x1ED : 0x1A4) << 16;
            using var stream = entry.Open();
            stream.Write(content);
        }

        return path;
    }
}
