using System.Xml;
using System.Xml.Linq;

namespace ReleaseKit.Tooling;

/// <summary>
/// The top-level dictionary of an XML property list (entitlements), as key and value element
/// pairs in document order. The DTD is never fetched or expanded.
/// </summary>
public static class PropertyList
{
    /// <exception cref="FormatException">Not an XML property list with a top-level &lt;dict&gt; of &lt;key&gt;/value pairs.</exception>
    public static IReadOnlyList<(string Key, XElement Value)> Entries(string xml)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException exception)
        {
            throw new FormatException($"not an XML property list ({exception.Message})", exception);
        }

        var dict = document.Root is { Name.LocalName: "plist" } root ? root.Element("dict") : null;
        if (dict is null)
            throw new FormatException("no <plist><dict> at the top");
        var nodes = dict.Elements().ToArray();
        if (nodes.Length % 2 != 0)
            throw new FormatException($"the <dict> has {nodes.Length} elements, not key and value pairs");
        var entries = new List<(string, XElement)>();
        for (var i = 0; i < nodes.Length; i += 2)
        {
            if (nodes[i].Name != "key")
                throw new FormatException($"expected <key> at entry {i / 2 + 1}, found <{nodes[i].Name}>");
            entries.Add((nodes[i].Value, nodes[i + 1]));
        }

        return entries;
    }

    /// <summary>Whether the dictionary sets <paramref name="key"/> to &lt;true/&gt;; a later duplicate key wins, as in CFPropertyList.</summary>
    public static bool IsTrue(IReadOnlyList<(string Key, XElement Value)> entries, string key) =>
        entries.LastOrDefault(x => x.Key == key).Value is { Name.LocalName: "true" };
}
