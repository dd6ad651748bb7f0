using System.Security.Cryptography;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Signing;

/// <summary>
/// Puts the Developer ID certificate of a CI secret into a temporary keychain that codesign can
/// use without a prompt, and takes it away again. The steps and arguments are those of GitHub's
/// guide "Installing an Apple certificate on macOS runners"; the search list keeps its entries.
/// </summary>
/// <param name="stateFile">Where the undo information is kept between ImportCertificate and CleanupKeychain.</param>
public sealed class SigningKeychain(ToolRunner runner, string stateFile)
{
    // Six hours: long enough for a release with a slow notarization, after which the keychain locks itself.
    private const string LockAfterSeconds = "21600";

    /// <summary>Where the temporary keychain and certificate go; RUNNER_TEMP on GitHub, which the runner wipes after the job.</summary>
    public string TemporaryDirectory { get; init; } = DefaultTemporaryDirectory;

    public static string DefaultTemporaryDirectory =>
        Environment.GetEnvironmentVariable("RUNNER_TEMP") is { Length: > 0 } runnerTemp ? runnerTemp : Path.GetTempPath();

    public async Task ImportAsync(CertificateImport import, CancellationToken cancellationToken)
    {
        if (KeychainState.Read(stateFile) is not null)
        {
            Log.Warning("A previous run left its signing keychain behind; removing it first");
            await CleanupAsync();
        }

        var certificate = import.Certificate;
        var certificatePassword = import.Password;
        Directory.CreateDirectory(TemporaryDirectory);
        var name = $"signing-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var keychain = Path.Combine(TemporaryDirectory, name + ".keychain-db");
        var certificateFile = Path.Combine(TemporaryDirectory, name + ".p12");
        // security takes keychain passwords only in argv or from a terminal prompt; this one is random,
        // lives for one job, and is masked like the other secrets.
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        runner.Masker.Register(password);
        runner.Masker.Register(certificatePassword);

        var previous = SecurityOutput.SearchList((await SecurityTool.ListKeychainsAsync(cancellationToken)).StandardOutput);
        new KeychainState(keychain, previous, certificateFile).Write(stateFile);
        try
        {
            await WritePrivateAsync(certificateFile, certificate, cancellationToken);
            await SecurityTool.CreateKeychainAsync(keychain, password, cancellationToken);
            await SecurityTool.SetKeychainSettingsAsync(keychain, LockAfterSeconds, cancellationToken);
            await SecurityTool.UnlockKeychainAsync(keychain, password, cancellationToken);
            try
            {
                await SecurityTool.ImportPkcs12Async(certificateFile, certificatePassword, keychain, cancellationToken);
            }
            finally
            {
                File.Delete(certificateFile);
            }

            await SecurityTool.SetKeyPartitionListAsync(keychain, password, cancellationToken);
            // -s replaces the whole list: the login and system keychains must stay in it.
            await SecurityTool.SetKeychainsAsync([keychain, .. previous.Where(x => x != keychain)], cancellationToken);
            await EnsureIdentityAsync(import.Identity.Name, cancellationToken);
            Log.Information("Imported the signing certificate into the temporary keychain {Keychain}", keychain);
        }
        catch
        {
            await CleanupAsync();
            throw;
        }
    }

    /// <summary>Undoes ImportAsync as far as it got. Never cancelled: it runs because something else was.</summary>
    public async Task CleanupAsync()
    {
        if (KeychainState.Read(stateFile) is not { } state)
        {
            Log.Debug("No temporary signing keychain to remove");
            return;
        }

        var failures = new List<string>();
        var listed = await SecurityTool.ListKeychainsAsync(CancellationToken.None, check: false);
        var current = SecurityOutput.SearchList(listed.StandardOutput);
        if (current.Contains(state.Keychain))
        {
            // Whatever else changed the list meanwhile stays; only our keychain leaves it.
            var restored = current.Where(x => x != state.Keychain).ToArray();
            if (restored.Length == 0)
                restored = state.PreviousSearchList.ToArray();
            var set = await SecurityTool.SetKeychainsAsync(restored, CancellationToken.None, check: false);
            if (!set.Succeeded)
                failures.Add($"restoring the keychain search list: {set.StandardError.Trim()}");
        }

        if (File.Exists(state.Keychain))
        {
            var deleted = await SecurityTool.DeleteKeychainAsync(state.Keychain, CancellationToken.None, check: false);
            if (!deleted.Succeeded)
                failures.Add($"deleting {state.Keychain}: {deleted.StandardError.Trim()}");
        }

        if (File.Exists(state.CertificateFile))
            File.Delete(state.CertificateFile);
        if (failures.Count > 0)
            throw new ReleaseException($"The temporary signing keychain could not be removed completely: {string.Join("; ", failures)}. Its record stays in {stateFile}, so CleanupKeychain can try again");

        File.Delete(stateFile);
        Log.Information("Removed the temporary signing keychain {Keychain} and restored the keychain search list", state.Keychain);
    }

    private async Task EnsureIdentityAsync(string signId, CancellationToken cancellationToken)
    {
        var valid = SecurityOutput.Identities((await SecurityTool.FindCodeSigningIdentitiesAsync(validOnly: true, cancellationToken)).StandardOutput);
        if (valid.Any(x => SecurityOutput.Matches(x, signId)))
            return;

        // Without -v, security also lists identities it cannot use, with the reason.
        var all = SecurityOutput.Identities((await SecurityTool.FindCodeSigningIdentitiesAsync(validOnly: false, cancellationToken)).StandardOutput);
        var unusable = all.Where(x => x.Problem is not null && SecurityOutput.Matches(x, signId)).ToArray();
        var found = valid.Count == 0 ? "none" : string.Join(", ", valid.Select(x => $"\"{x.Name}\""));
        var message = unusable.Length > 0
            ? $"The certificate for SIGN_ID \"{signId}\" was imported but is not valid for code signing ({unusable[0].Problem}): " +
              "its chain cannot be built. Install Apple's \"Developer ID Certification Authority (G2)\" intermediate (https://www.apple.com/certificateauthority/) or export the .p12 with the whole chain"
            : $"SIGN_ID \"{signId}\" is not among the code signing identities after the import (valid identities: {found}): " +
              "check that MACOS_CERT_P12 holds the \"Developer ID Application\" certificate with its private key, and that SIGN_ID names it exactly";
        throw new ReleaseException(message);
    }

    /// <summary>The .p12 from its base64 (line breaks allowed, as `base64` wraps), or null when it is not base64.</summary>
    public static byte[]? DecodeCertificate(string base64)
    {
        try
        {
            return Convert.FromBase64String(string.Concat(base64.Where(x => !char.IsWhiteSpace(x))));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static async Task WritePrivateAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        await file.WriteAsync(content, cancellationToken);
    }

    private Security SecurityTool => new(runner);
}
