using ReleaseKit.Settings;

namespace ReleaseKit.Packaging;

/// <summary>Package's options, parsed once: the zlib level, and the time every entry carries.</summary>
public sealed record PackageOptions(int? GzipLevel, DateTimeOffset Time)
{
    /// <param name="environment">For SOURCE_DATE_EPOCH, the reproducible-builds convention for the time of a build's files.</param>
    public static Parsed<PackageOptions> Parse(PackageParameters parameters, Func<string, string?> environment)
    {
        var problems = new List<string>();
        if (parameters.GzipLevel is < 1 or > 9)
            problems.Add($"{SettingName.Describe(nameof(parameters.GzipLevel))} is {parameters.GzipLevel}: use a zlib level from 1 (fastest) to 9 (smallest)");

        var time = DeterministicTar.DefaultTime;
        try
        {
            time = DeterministicTar.TimeFromEnvironment(environment);
        }
        catch (ReleaseException exception)
        {
            problems.Add(exception.Message);
        }

        return problems.Count > 0 ? Parsed.Invalid<PackageOptions>(problems) : Parsed.Valid(new PackageOptions(parameters.GzipLevel, time));
    }
}
