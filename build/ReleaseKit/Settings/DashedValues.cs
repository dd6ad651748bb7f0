namespace ReleaseKit.Settings;

/// <summary>
/// Carries the parameter values NUKE's command line would drop. NUKE reads every argument that
/// starts with '-' (one dash or two) as the next flag, so `--sign-id -`, `-artifact -old.tgz` and
/// `--pip-args "--no-index --find-links DIR"` reach the build as unset, and it never reads
/// `--name=value`, not even for its own `--target=Verify` or `--skip=Upload`. Such values are handed
/// over through an environment variable named exactly like the parameter, which NUKE reads right
/// after an argument without a value. Anything that would still be lost is a problem, never a
/// silent drop; a problem never shows the value of a secret parameter.
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
    /// <param name="Secret">Its value is never repeated in a problem.</param>
    public sealed record Parameter(string Name, Kind Kind, bool Secret = false);

    public sealed record Result(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Problems);

    public static Result Find(IReadOnlyList<string> arguments, IReadOnlyCollection<Parameter> parameters)
    {
        var byKey = parameters.GroupBy(x => Key(x.Name)).ToDictionary(x => x.Key, x => x.First(), StringComparer.OrdinalIgnoreCase);
        Parameter? FlagOf(string argument) => argument.StartsWith('-') && byKey.TryGetValue(Key(argument), out var known) ? known : null;

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (var index = 0; index < arguments.Count; index++)
        {
            var argument = arguments[index];
            if (!argument.StartsWith('-'))
                continue;

            var equals = argument.IndexOf('=');
            if (equals > 0 && FlagOf(argument[..equals]) is { } assigned)
            {
                var value = argument[(equals + 1)..];
                if (value.Length == 0 && assigned.Kind != Kind.Switch)
                    problems.Add($"{argument} has no value after '=': give one ({argument}VALUE), or leave the flag out");
                else
                    values[assigned.Name] = value;
                continue;
            }

            if (FlagOf(argument) is not { Kind: Kind.Value } parameter)
                continue;

            var next = index + 1 < arguments.Count ? arguments[index + 1] : null;
            if (next is null || FlagOf(next) is not null)
            {
                problems.Add($"{argument} needs a value, e.g. {argument} VALUE (or set {SettingName.EnvironmentVariable(parameter.Name)})");
                continue;
            }

            if (!next.StartsWith('-'))
                continue;

            // NUKE would take this value for a flag of its own and drop it, and with it every
            // word up to the next flag it knows: those are problems, not values to guess at.
            values[parameter.Name] = next;
            var words = arguments.Skip(index + 1).TakeWhile(x => FlagOf(x) is null).ToArray();
            if (words.Length > 1)
                problems.Add($"{argument} takes one value, but {words.Length} arguments follow it: quote them as one, {argument} \"{(parameter.Secret ? "***" : string.Join(' ', words))}\"");
            index += words.Length;
        }

        return new Result(values, problems);
    }

    // NUKE matches flags with dashes removed and case ignored.
    private static string Key(string name) => name.Replace("-", "", StringComparison.Ordinal);
}
