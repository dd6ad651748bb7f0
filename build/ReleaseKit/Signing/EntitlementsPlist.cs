using System.Xml.Linq;

namespace ReleaseKit.Signing;

/// <summary>
/// The entitlements for the bundle's executables (launcher, python). Libraries get none: they
/// run with their host's. disable-library-validation lets python load extension modules not
/// signed by the same team (wheels signed by their vendors, or ad-hoc).
/// </summary>
public static class EntitlementsPlist
{
    public const string DisableLibraryValidation = "com.apple.security.cs.disable-library-validation";

    /// <param name="libraryValidation">Keep macOS's library validation; without it the entitlement that disables it is added.</param>
    public static string Create(bool libraryValidation, string? extraPlist)
    {
        var entries = new List<(string Key, XElement Value)>();
        if (!libraryValidation)
            entries.Add((DisableLibraryValidation, new XElement("true")));

        if (extraPlist is not null)
        {
            XDocument document;
            try
            {
                document = XDocument.Load(extraPlist);
            }
            catch (System.Xml.XmlException exception)
            {
                throw new ReleaseException($"--entitlements {extraPlist} is not an XML property list ({exception.Message}): convert it with plutil -convert xml1", exception);
            }

            var dict = document.Root?.Element("dict")
                ?? throw new ReleaseException($"--entitlements {extraPlist} has no <dict>: it must be a property list of entitlement keys");
            var nodes = dict.Elements().ToArray();
            for (var i = 0; i + 1 < nodes.Length; i += 2)
            {
                if (nodes[i].Name != "key")
                    throw new ReleaseException($"--entitlements {extraPlist}: expected <key> at entry {i / 2 + 1}, found <{nodes[i].Name}>");
                entries.RemoveAll(x => x.Key == nodes[i].Value);
                entries.Add((nodes[i].Value, nodes[i + 1]));
            }
        }

        var plist = new XElement("plist", new XAttribute("version", "1.0"),
            new XElement("dict", entries.SelectMany(x => new object[] { new XElement("key", x.Key), new XElement(x.Value) })));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
               "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" +
               plist + "\n";
    }
}
