namespace ReleaseKit.Settings;

/// <summary>
/// Carries the parameter values NUKE's command line would drop. NUKE reads every argument that
/// starts with '-' as the next flag, so `--sign-id -` and `--pip-args "--no-index --find-links DIR"`
/// reach the build as unset, and it never reads `--name=value`. Such values are handed over through
/// an environment variable named exactly like the parameter, which NUKE reads right after an
/// argument without a value. Anything that would still be lost is a problem, never a silent drop.
/// </summary>
public static class DashedValues
{
    public enum Kind
    {
        /// <summary>A parameter of this build that takes one value.</summary>
        Value,

        /// <summary>A boolean parameter of this build: `--skip-notarize`, or `--skip-notarize false`.</summary>
        Switch,

        /// <summary>One of NUKE's own parameters (--target, --skip, --host, ...), left to NUKE.</summary>
        Nuke,
    }

    /// <param name="Name">The name NUKE binds (the member name, or the attribute's Name).</param>
    public sealed record Parameter(string Name, Kind Kind);

    public sealed record Result(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Problems);

    public static Result Find(IReadOnlyList<string> arguments, IReadOnlyCollection<Parameter> parameters)
    {
        var byKey = parameters.GroupBy(x => Key(x.Name)).ToDictionary(x => x.Key, x => x.First(), StringComparer.OrdinalIgnoreCase);
        bool IsFlag(string argument) => argument.StartsWith('-') && byKey.ContainsKey(Key(argument));

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (var index = 0; index < arguments.Count; index++)
        {
            var argument = arguments[index];
            if (!argument.StartsWith("--", StringComparison.Ordinal))
                continue;

            var equals = argument.IndexOf('=');
            if (equals > 0 && byKey.TryGetValue(Key(argument[..equals]), out var assigned) && assigned.Kind != Kind.Nuke)
            {
                values[assigned.Name] = argument[(equals + 1)..];
                continue;
            }

            if (!byKey.TryGetValue(Key(argument), out var parameter) || parameter.Kind != Kind.Value)
                continue;

            var next = index + 1 < arguments.Count ? arguments[index + 1] : null;
            if (next is null || IsFlag(next))
            {
                problems.Add($"{argument} needs a value, e.g. {argument} VALUE (or set {SettingName.EnvironmentVariable(parameter.Name)})");
                continue;
            }

            if (!next.StartsWith('-'))
                continue;

            // NUKE would take this value for a flag of its own and drop it, and with it every
            // word up to the next flag it knows: those are problems, not values to guess at.
            values[parameter.Name] = next;
            var words = arguments.Skip(index + 1).TakeWhile(x => !IsFlag(x)).ToArray();
            if (words.Length > 1)
                problems.Add($"{argument} takes one value, but {words.Length} arguments follow it: quote them as one, {argument} \"{string.Join(' ', words)}\"");
            index += words.Length;
        }

        return new Result(values, problems);
    }

    // NUKE matches flags with dashes removed and case ignored.
    private static string Key(string name) => name.Replace("-", "", StringComparison.Ordinal);
}
