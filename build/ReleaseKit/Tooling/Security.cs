namespace ReleaseKit.Tooling;

/// <summary>
/// macOS's security(1), for the temporary signing keychain. Every verb throws on failure unless
/// <c>check</c> is false: cleanup reports what it could not undo instead of stopping.
/// </summary>
public sealed class Security(ToolRunner runner)
{
    public static ExternalTool Tool { get; } = ExternalTool.OfMacOs("security");

    /// <summary>list-keychains -d user: the user's keychain search list, as security prints it.</summary>
    public Task<ToolResult> ListKeychainsAsync(CancellationToken cancellationToken, bool check = true) =>
        Run(check, cancellationToken, "list-keychains", "-d", "user");

    /// <summary>list-keychains -d user -s: replaces the whole search list.</summary>
    public Task<ToolResult> SetKeychainsAsync(IEnumerable<string> keychains, CancellationToken cancellationToken, bool check = true) =>
        Run(check, cancellationToken, ["list-keychains", "-d", "user", "-s", .. keychains]);

    public Task<ToolResult> CreateKeychainAsync(string keychain, string password, CancellationToken cancellationToken) =>
        Run(true, cancellationToken, "create-keychain", "-p", password, keychain);

    /// <summary>set-keychain-settings -lut: lock on sleep and after the timeout, so a forgotten keychain does not stay open.</summary>
    public Task<ToolResult> SetKeychainSettingsAsync(string keychain, string lockAfterSeconds, CancellationToken cancellationToken) =>
        Run(true, cancellationToken, "set-keychain-settings", "-lut", lockAfterSeconds, keychain);

    public Task<ToolResult> UnlockKeychainAsync(string keychain, string password, CancellationToken cancellationToken) =>
        Run(true, cancellationToken, "unlock-keychain", "-p", password, keychain);

    /// <summary>import a PKCS#12 file, its key usable by codesign without a prompt (-T).</summary>
    public Task<ToolResult> ImportPkcs12Async(string certificateFile, string certificatePassword, string keychain, CancellationToken cancellationToken) =>
        Run(true, cancellationToken, "import", certificateFile, "-P", certificatePassword, "-f", "pkcs12", "-k", keychain, "-T", "/usr/bin/codesign");

    /// <summary>set-key-partition-list for Apple's tools and codesign: without it codesign waits on an invisible prompt on CI.</summary>
    public Task<ToolResult> SetKeyPartitionListAsync(string keychain, string password, CancellationToken cancellationToken) =>
        Run(true, cancellationToken, "set-key-partition-list", "-S", "apple-tool:,apple:,codesign:", "-s", "-k", password, keychain);

    public Task<ToolResult> DeleteKeychainAsync(string keychain, CancellationToken cancellationToken, bool check = true) =>
        Run(check, cancellationToken, "delete-keychain", keychain);

    /// <summary>find-identity -p codesigning; with <paramref name="validOnly"/> (-v) only the usable ones, else also the others with the reason.</summary>
    public Task<ToolResult> FindCodeSigningIdentitiesAsync(bool validOnly, CancellationToken cancellationToken) =>
        validOnly
            ? Run(true, cancellationToken, "find-identity", "-v", "-p", "codesigning")
            : Run(false, cancellationToken, "find-identity", "-p", "codesigning");

    private Task<ToolResult> Run(bool check, CancellationToken cancellationToken, params string[] arguments) =>
        runner.RunAsync(new ToolCommand(Tool.Name, arguments) { ThrowOnFailure = check }, cancellationToken);
}
