using ReleaseKit.Packaging;
using ReleaseKit.Settings;

namespace ReleaseKit.Publishing;

/// <summary>
/// Promote's options, parsed once: the bucket and channel (the R2 settings, --channel,
/// --force-channel), and the update public key the release must verify with before a channel
/// names it. The pointer is signed when UPDATE_SIGNING_KEY is set too.
/// </summary>
public sealed record PromoteOptions(R2Options Bucket, string PublicKey)
{
    /// <param name="bucket">Upload's options, parsed once: Promote writes where Upload wrote.</param>
    /// <param name="updatePublicKey">UPDATE_PUBLIC_KEY, which the release must verify with.</param>
    public static Parsed<PromoteOptions> Parse(Parsed<R2Options> bucket, string? updatePublicKey)
    {
        var problems = bucket.Problems.ToList();
        var publicKey = SettingText.FirstSet(updatePublicKey);
        if (publicKey is null)
            problems.Add($"Promote checks the release from the bucket before a channel names it, and needs {SettingName.Describe(nameof(PackageParameters.UpdatePublicKey))} for that (the second line of minisign's .pub)");
        return problems.Count > 0 || bucket.ValueOrNull is not { } options || publicKey is null
            ? Parsed.Invalid<PromoteOptions>(problems)
            : Parsed.Valid(new PromoteOptions(options, publicKey));
    }
}
