namespace ReleaseKit.Tooling;

/// <summary>Renders argv the way a POSIX shell would need it, so a logged command can be pasted and re-run.</summary>
public static class CommandLine
{
    public static string Format(string tool, IEnumerable<string> arguments)
    {
        return string.Join(' ', new[] { tool }.Concat(arguments).Select(Quote));
    }

    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,@+%".Contains(c)))
            return argument;

        return "'" + argument.Replace("'", "'\\''") + "'";
    }
}
