using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseKit.Inventory;

/// <summary>The CPython in the bundle as the SBOM names it; release, URL and hash are known when it was downloaded.</summary>
public sealed record BundledPython(string Version, string? BuildRelease, string? ArchiveUrl, string? ArchiveSha256);

/// <summary>
/// A CycloneDX 1.6 JSON bill of materials for one tarball: the tarball is the subject (with its
/// SHA-256), and its components are CPython, every vendored distribution (purl, licence, SHA-256
/// of its RECORD) and the launcher. Deterministic: the serial number derives from the tarball's
/// hash and the time is the tarball's own (SOURCE_DATE_EPOCH).
/// </summary>
public static class SoftwareBillOfMaterials
{
    /// <summary>Where the SBOM of a tarball goes: beside it, artifacts/&lt;AppName&gt;-&lt;Version&gt;.cdx.json.</summary>
    public static string Beside(string tarball) => Path.ChangeExtension(tarball, null) + ".cdx.json";

    public static string Create(string appName, string version, string tarballName, string tarballSha256, DateTimeOffset time,
        BundledPython python, IReadOnlyList<PythonDistribution> distributions, string launcherSha256)
    {
        var subject = $"{appName}@{version}";
        var components = new JsonArray
        {
            Component("application", "pkg:generic/cpython@" + python.Version, "cpython", python.Version,
                license: new JsonArray(new JsonObject { ["license"] = new JsonObject { ["id"] = "PSF-2.0" } }),
                sha256: python.ArchiveSha256,
                purl: "pkg:generic/cpython@" + python.Version + (python.ArchiveUrl is { } url ? "?download_url=" + Uri.EscapeDataString(url) : ""),
                properties: Properties(("python-build-standalone:release", python.BuildRelease), ("sha256-of", python.ArchiveSha256 is null ? null : "archive"))),
            Component("application", $"{appName}-launcher", $"{appName} launcher", version,
                license: null, sha256: launcherSha256, purl: null, properties: Properties(("path", appName))),
        };
        foreach (var distribution in distributions)
        {
            components.Add(Component("library", distribution.Purl, distribution.Name, distribution.Version,
                license: Licenses(distribution), sha256: distribution.RecordSha256, purl: distribution.Purl,
                properties: Properties(("sha256-of", distribution.RecordSha256 is null ? null : "RECORD"))));
        }

        var bom = new JsonObject
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.6",
            ["serialNumber"] = "urn:uuid:" + DeterministicUuid(tarballSha256),
            ["version"] = 1,
            ["metadata"] = new JsonObject
            {
                ["timestamp"] = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                ["tools"] = new JsonObject { ["components"] = new JsonArray(new JsonObject { ["type"] = "application", ["name"] = "ReleaseKit" }) },
                ["component"] = new JsonObject
                {
                    ["type"] = "application",
                    ["bom-ref"] = subject,
                    ["name"] = appName,
                    ["version"] = version,
                    ["hashes"] = Hashes(tarballSha256),
                    ["properties"] = Properties(("file", tarballName)),
                },
            },
            ["components"] = components,
            ["dependencies"] = new JsonArray(new JsonObject
            {
                ["ref"] = subject,
                ["dependsOn"] = new JsonArray(components.Select(x => (JsonNode)JsonValue.Create(x!["bom-ref"]!.GetValue<string>())!).ToArray()),
            }),
        };
        return bom.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The subject's SHA-256 in an SBOM, for Verify to compare with the tarball beside it.</summary>
    public static string? SubjectSha256(string json)
    {
        try
        {
            var hashes = JsonNode.Parse(json)?["metadata"]?["component"]?["hashes"]?.AsArray();
            return hashes?.FirstOrDefault(x => x?["alg"]?.GetValue<string>() == "SHA-256")?["content"]?.GetValue<string>();
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static JsonObject Component(string type, string reference, string name, string version, JsonArray? license, string? sha256, string? purl, JsonArray? properties)
    {
        var component = new JsonObject { ["type"] = type, ["bom-ref"] = reference, ["name"] = name, ["version"] = version };
        if (purl is not null)
            component["purl"] = purl;
        if (license is not null)
            component["licenses"] = license;
        if (sha256 is not null)
            component["hashes"] = Hashes(sha256);
        if (properties is { Count: > 0 })
            component["properties"] = properties;
        return component;
    }

    // CycloneDX takes an SPDX expression as a single entry, and anything else as a licence name.
    private static JsonArray? Licenses(PythonDistribution distribution) => distribution.LicenseKind switch
    {
        LicenseKind.Expression => new JsonArray(new JsonObject { ["expression"] = distribution.License }),
        LicenseKind.Name => new JsonArray(new JsonObject { ["license"] = new JsonObject { ["name"] = distribution.License!.ReplaceLineEndings(" ") } }),
        _ => null,
    };

    private static JsonArray Hashes(string sha256) => new(new JsonObject { ["alg"] = "SHA-256", ["content"] = sha256 });

    private static JsonArray Properties(params (string Name, string? Value)[] properties) =>
        new(properties.Where(x => x.Value is not null).Select(x => (JsonNode)new JsonObject { ["name"] = "releasekit:" + x.Name, ["value"] = x.Value }).ToArray());

    // A name-based UUID (version 5 layout) from the tarball's hash: the same tarball, the same serial number.
    private static Guid DeterministicUuid(string sha256)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("msty-mlx-studio-sbom:" + sha256))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
