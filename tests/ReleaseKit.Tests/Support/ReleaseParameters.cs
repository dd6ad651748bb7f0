using System.Reflection;

namespace ReleaseKit.Tests.Support;

/// <summary>The parameters ReleaseSettings carries, by the names the host declares: its own and those of each stage's record.</summary>
public static class ReleaseParameters
{
    private static IEnumerable<(PropertyInfo Property, PropertyInfo? Stage)> All() =>
        typeof(ReleaseSettings).GetProperties().Where(x => x.CanWrite && x.Name != nameof(ReleaseSettings.RootDirectory)).SelectMany(property =>
            property.PropertyType.Namespace == typeof(ReleaseSettings).Namespace || property.PropertyType == typeof(string)
                ? [(property, (PropertyInfo?)null)]
                : property.PropertyType.GetProperties().Where(x => x.CanWrite).Select(x => (x, (PropertyInfo?)property)));

    public static IEnumerable<string> Names => All().Select(x => x.Property.Name);

    public static object? Value(ReleaseSettings settings, string name)
    {
        var (property, stage) = All().Single(x => x.Property.Name == name);
        return property.GetValue(stage is null ? settings : stage.GetValue(settings));
    }
}
