using System.Text.RegularExpressions;
using ReleaseKit.Tooling;

namespace ReleaseKit.Bundling;

/// <summary>requirements.txt as the bundle installs it: custom wheels take the place of their package's line.</summary>
public sealed partial class RequirementsFile
{
    private RequirementsFile(IReadOnlyList<string> lines, IReadOnlyList<Requirement> requirements)
    {
        Lines = lines;
        Requirements = requirements;
    }

    /// <summary>The lines to hand to pip.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The packages it names, with what the version report holds them to.</summary>
    public IReadOnlyList<Requirement> Requirements { get; }

    public Requirement? Find(string name) => Requirements.FirstOrDefault(x => x.Key == Requirement.Normalize(name));

    public static RequirementsFile Read(string path, IReadOnlyList<string> wheels)
    {
        if (!File.Exists(path))
            throw new ReleaseException($"{path} does not exist: create it (one requirement per line) or pass --requirements PATH");

        var custom = wheels.Select(Wheel).ToArray();
        var replaced = custom.Select(x => Requirement.Normalize(x.Name)).ToHashSet();
        var lines = new List<string>();
        var requirements = new List<Requirement>();
        foreach (var line in File.ReadAllLines(path))
        {
            var requirement = Requirement.TryParse(line);
            if (requirement is not null && replaced.Contains(requirement.Key))
                continue;
            lines.Add(line);
            if (requirement is not null)
                requirements.Add(requirement);
        }

        // The custom wheels themselves, pinned to the version in their file name.
        foreach (var wheel in custom)
        {
            lines.Add(wheel.Path);
            requirements.Add(new Requirement(wheel.Name, VersionSpecifier.Parse("==" + wheel.Version), wheel.Path));
        }

        return new RequirementsFile(lines, requirements);
    }

    public void Write(string path) => File.WriteAllLines(path, Lines);

    /// <summary>Name and version from a wheel's file name (PEP 427: name-version(-build)?-python-abi-platform.whl).</summary>
    public static (string Name, string Version, string Path) Wheel(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var match = WheelName().Match(System.IO.Path.GetFileName(full));
        if (!match.Success)
            throw new ReleaseException($"{path} is not a wheel file name (name-version-python-abi-platform.whl)");
        if (!File.Exists(full))
            throw new ReleaseException($"The wheel {path} does not exist");
        return (match.Groups["name"].Value, match.Groups["version"].Value, full);
    }

    [GeneratedRegex(@"^(?<name>[^-]+)-(?<version>[^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")]
    private static partial Regex WheelName();
}
