using System.Text.Json;

namespace ReleaseKit.Tooling;

/// <summary>
/// Small state files the stages leave for later runs (a notarization submission, an imported
/// keychain): camelCase JSON, written whole or not at all, and a damaged file reads as absent.
/// </summary>
public static class JsonFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static T? Read<T>(string path) where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Options) + "\n");
}
