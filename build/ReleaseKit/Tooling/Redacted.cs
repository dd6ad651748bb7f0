using System.Reflection;
using System.Text;

namespace ReleaseKit.Tooling;

/// <summary>
/// The members of a record as its generated ToString would print them, with the named ones
/// shown as *** when set: a record that holds a secret must not print it into a log or an error.
/// </summary>
public static class Redacted
{
    public static bool PrintMembers(object record, StringBuilder builder, params string[] secrets)
    {
        var first = true;
        foreach (var property in record.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(x => x.GetIndexParameters().Length == 0))
        {
            var value = property.GetValue(record);
            var shown = secrets.Contains(property.Name) && value is not null ? SecretMasker.Mask
                : value is string or null ? value
                : value is System.Collections.IEnumerable items ? $"[{string.Join(", ", items.Cast<object?>())}]"
                : value;
            builder.Append(first ? "" : ", ").Append(property.Name).Append(" = ").Append(shown);
            first = false;
        }

        return true;
    }
}
