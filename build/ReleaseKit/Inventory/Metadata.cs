namespace ReleaseKit.Inventory;

/// <summary>
/// The header part of a core-metadata file (METADATA, PKG-INFO): RFC 822 style fields, a field
/// continued on lines that start with whitespace, repeated fields kept in order, the body ignored.
/// </summary>
internal sealed class Metadata
{
    private readonly List<(string Name, string Value)> _fields = [];

    public static Metadata Parse(string text)
    {
        var metadata = new Metadata();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.Length == 0)
                break;
            if (char.IsWhiteSpace(line[0]) && metadata._fields.Count > 0)
            {
                var (name, value) = metadata._fields[^1];
                metadata._fields[^1] = (name, value + "\n" + line.Trim());
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon > 0)
                metadata._fields.Add((line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return metadata;
    }

    public string? Get(string name) => _fields.FirstOrDefault(x => x.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public IReadOnlyList<string> All(string name) =>
        _fields.Where(x => x.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(x => x.Value).ToArray();
}
