using System.Xml.Linq;
using ReleaseKit.Tooling;

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
            IReadOnlyList<(string Key, XElement Value)> extra;
            try
            {
                extra = PropertyList.Entries(File.ReadAllText(extraPlist));
            }
            catch (FormatException exception)
            {
                throw new ReleaseException($"--entitlements {extraPlist}: {exception.Message}; it must be an XML property list of entitlement keys (convert a binary one with plutil -convert xml1)", exception);
            }

            foreach (var (key, value) in extra)
            {
                entries.RemoveAll(x => x.Key == key);
                entries.Add((key, value));
            }
        }

        var plist = new XElement("plist", new XAttribute("version", "1.0"),
            new XElement("dict", entries.SelectMany(x => new object[] { new XElement("key", x.Key), new XElement(x.Value) })));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
               "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" +
               plist + "\n";
    }
}
