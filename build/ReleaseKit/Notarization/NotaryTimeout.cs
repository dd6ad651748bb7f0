using System.Globalization;
using System.Text.RegularExpressions;

namespace ReleaseKit.Notarization;

/// <summary>A notarytool duration: an integer with an optional unit, s (the default), m or h.</summary>
public sealed partial record NotaryTimeout(string Text, TimeSpan Duration)
{
    public static NotaryTimeout? TryParse(string? text)
    {
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success || !long.TryParse(match.Groups["value"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is <= 0 or > 7 * 24 * 3600)
            return null;

        var duration = match.Groups["unit"].Value switch
        {
            "h" => TimeSpan.FromHours(value),
            "m" => TimeSpan.FromMinutes(value),
            _ => TimeSpan.FromSeconds(value),
        };
        return duration > TimeSpan.FromDays(7) ? null : new NotaryTimeout(match.Value, duration);
    }

    [GeneratedRegex("^(?<value>[0-9]+)(?<unit>[smh]?)$")]
    private static partial Regex Pattern();
}
