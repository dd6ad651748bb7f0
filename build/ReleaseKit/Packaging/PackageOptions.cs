using ReleaseKit.Settings;
using ReleaseKit.Tooling;

namespace ReleaseKit.Packaging;

/// <summary>Package's options, parsed once: the zlib level, the time every entry carries, and the key that signs updates.</summary>
/// <param name="UpdateKey">Signs the tarball for the in-app updater; null: an unsigned update.</param>
public sealed record PackageOptions(int? GzipLevel, DateTimeOffset Time, MinisignKey? UpdateKey = null)
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

        var key = ParseUpdateKey(parameters, problems);
        return problems.Count > 0 ? Parsed.Invalid<PackageOptions>(problems) : Parsed.Valid(new PackageOptions(parameters.GzipLevel, time, key));
    }

    /// <summary>The key, from a path or from the content itself (how a CI secret arrives); its problems, once.</summary>
    private static MinisignKey? ParseUpdateKey(PackageParameters parameters, List<string> problems)
    {
        var name = SettingName.Describe(nameof(parameters.UpdateSigningKey));
        if (SettingText.FirstSet(parameters.UpdateSigningKey) is not { } given)
        {
            if (SettingText.FirstSet(parameters.UpdateSigningKeyPassword) is not null)
                problems.Add($"{SettingName.Describe(nameof(parameters.UpdateSigningKeyPassword))} is set but {name} is not: give the minisign secret key too, or unset the password");
            return null;
        }

        var isContent = given.Contains("untrusted comment:", StringComparison.Ordinal);
        if (!isContent && !File.Exists(given))
        {
            problems.Add($"{name} is neither a minisign secret key nor the path of one (no file {given}): make one with minisign -G");
            return null;
        }

        try
        {
            var key = MinisignKey.Parse(isContent ? given : File.ReadAllText(given), parameters.UpdateSigningKeyPassword);
            if (SettingText.FirstSet(parameters.UpdatePublicKey) is { } published && published != key.PublicKeyText)
                problems.Add($"{SettingName.Describe(nameof(parameters.UpdatePublicKey))} is not the public half of {name} ({key.PublicKeyText}, key {key.Id}): the app would refuse every update this key signs");
            return key;
        }
        catch (FormatException exception)
        {
            problems.Add($"{name} cannot sign updates: {exception.Message}");
            return null;
        }
    }
}
