using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tests.MachO;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Signing;

public class SignTests : IDisposable, IClassFixture<MachOFixtures>
{
    private const string DeveloperId = "Developer ID Application: Example (TEAM123456)";
    private readonly TempDirectory _temp = new();
    private readonly FakeTools _fakes = new();

    public SignTests(MachOFixtures machO)
    {
        machO.PlaceBundle(Bundle);
        TreeBuilder.File(Bundle, "LICENSE", "MIT", TreeBuilder.Regular);
        File.WriteAllText(_temp["package.json"], """{ "version": "2.0.0" }""");
        _fakes.Add("codesign");
    }

    public void Dispose()
    {
        _temp.Dispose();
        _fakes.Dispose();
    }

    private string Bundle => _temp["dist-ext-python/msty-mlx-studio"];

    private ReleasePipeline Steps(string signId = "-", Func<ReleaseSettings, ReleaseSettings>? change = null)
    {
        var settings = new ReleaseSettings { RootDirectory = _temp.Path, Signing = new() { SignId = signId } };
        return new ReleasePipeline(change?.Invoke(settings) ?? settings, _fakes.Runner());
    }

    /// <summary>Every path codesign was asked to sign, call by call (a call may carry several).</summary>
    private IReadOnlyList<string> SignedInOrder() => _fakes.Calls("codesign").SelectMany(Paths).Select(x => Path.GetRelativePath(Bundle, x)).ToArray();

    private static IEnumerable<string> Paths(IReadOnlyList<string> call) =>
        call.SkipWhile(x => x != "runtime").Skip(1).SkipWhile(x => x == "--entitlements").Skip(call.Contains("--entitlements") ? 1 : 0);

    [Fact]
    public async Task Signs_every_Mach_O_once_libraries_deepest_first_and_the_executables_last_with_entitlements()
    {
        using var log = LogCapture.Start();

        await Steps(change: x => x with { Signing = x.Signing with { SignParallelism = 1 } }).SignAsync();

        var order = SignedInOrder();
        order.Should().HaveCount(5).And.OnlyHaveUniqueItems();
        order.Take(3).Should().Equal("python/lib/python3.12/lib-dynload/_ssl.cpython-312-darwin.so", "_vendor/mlx/lib/libmlx.dylib", "python/lib/libpython3.12.dylib");
        order.Skip(3).Should().BeEquivalentTo(["python/bin/python3.12", "msty-mlx-studio"]);
        order.Should().NotContain(x => x.EndsWith(".py") || x == "LICENSE" || x == "python/bin/python3");
        var calls = _fakes.Calls("codesign");
        calls.Should().HaveCount(2, "libraries go in one call, the executables with their entitlements in another");
        calls[0].Should().NotContain("--entitlements");
        calls[1].Should().Contain("--entitlements");
        log.Messages.Should().Contain(x => x.StartsWith("signed 5/5 "));
        SignatureRecord.Read(Bundle)!.AdHoc.Should().BeTrue();
    }

    [Fact]
    public async Task Signs_a_file_with_two_names_once()
    {
        Shell.Run("ln", Path.Combine(Bundle, "_vendor/mlx/lib/libmlx.dylib"), Path.Combine(Bundle, "_vendor/mlx/lib/libmlx.0.dylib"));

        await Steps().SignAsync();

        SignedInOrder().Count(x => x.StartsWith("_vendor/mlx/lib/libmlx")).Should().Be(1);
        SignedInOrder().Should().HaveCount(5);
    }

    [Fact]
    public void Tells_hard_links_from_copies()
    {
        var original = Path.Combine(Bundle, "LICENSE");
        Shell.Run("ln", original, Path.Combine(Bundle, "LICENSE.link"));
        File.Copy(original, Path.Combine(Bundle, "LICENSE.copy"));

        HardLinks.Group([original, Path.Combine(Bundle, "LICENSE.copy"), Path.Combine(Bundle, "LICENSE.link")])
            .Should().BeEquivalentTo(new[] { new[] { original, Path.Combine(Bundle, "LICENSE.link") }, [Path.Combine(Bundle, "LICENSE.copy")] },
                o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Every_name_of_a_hard_linked_library_carries_the_signature_after_codesign_replaced_the_file()
    {
        var library = Path.Combine(Bundle, "_vendor/mlx/lib/libmlx.dylib");
        var other = Path.Combine(Bundle, "_vendor/mlx/lib/libmlx.0.dylib");
        var third = Path.Combine(Bundle, "python/lib/libmlx-copy.dylib");
        Shell.Run("ln", library, other);
        Shell.Run("ln", library, third);
        _fakes.AddApple("codesign");

        await Steps().SignAsync();

        SignedInOrder().Count(x => x.Contains("libmlx")).Should().Be(1);
        foreach (var name in new[] { other, third })
        {
            File.ReadAllBytes(name).Should().Equal(File.ReadAllBytes(library), $"{name} is the same signed file");
            FileStatus.Of(name)!.Value.IsSameFile(FileStatus.Of(library)!.Value).Should().BeTrue("the names are hard links again");
        }

        var verify = await _fakes.Runner().RunAsync(new ToolCommand("codesign", "--verify", "--strict", other) { ThrowOnFailure = false });
        verify.ExitCode.Should().Be(0, verify.StandardError);
        SignatureRecord.Read(Bundle)!.Files.Should().Be(5);
    }

    [Fact]
    public async Task Hard_links_go_through_Package_as_links_and_Verify_accepts_what_they_unpack_to()
    {
        var library = Path.Combine(Bundle, "_vendor/mlx/lib/libmlx.dylib");
        Shell.Run("ln", library, Path.Combine(Bundle, "_vendor/mlx/lib/libmlx.0.dylib"));
        _fakes.AddApple("codesign");
        var steps = new ReleasePipeline(new ReleaseSettings { RootDirectory = _temp.Path, Signing = new() { SignId = "-" } }, _fakes.Runner())
        {
            VerifyOnMacOS = false,
            WorkDirectory = _temp.Path,
        };

        await steps.SignAsync();
        await steps.PackageAsync();
        await steps.VerifyAsync();

        var listing = Shell.Run("tar", "-tvzf", steps.Results.Package!.Tarball);
        listing.Should().Contain("msty-mlx-studio/_vendor/mlx/lib/libmlx.dylib link to msty-mlx-studio/_vendor/mlx/lib/libmlx.0.dylib");
        var unpacked = Directory.CreateDirectory(_temp["unpacked"]).FullName;
        Shell.Run("tar", "-xzf", steps.Results.Package.Tarball, "-C", unpacked);
        Shell.Run("stat", "-c", "%h", Path.Combine(unpacked, "msty-mlx-studio/_vendor/mlx/lib/libmlx.dylib")).Trim().Should().Be("2");
    }

    [Fact]
    public async Task A_key_the_keychain_will_not_hand_out_stops_Sign_at_once_with_the_fix()
    {
        _fakes.Add("codesign", stderr: "errSecInternalComponent\n", exitCode: 1);

        var act = () => Steps(DeveloperId, x => x with { Signing = x.Signing with { SignParallelism = 1 } }).SignAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).WithMessage("codesign cannot use the signing key (errSecInternalComponent)*set-key-partition-list*");
        _fakes.Calls("codesign").Should().HaveCount(2, "one batch, then its first file once, and no retries");
        SignatureRecord.Read(Bundle).Should().BeNull();
    }

    [Fact]
    public void Puts_sign_before_options_and_a_secure_timestamp_for_a_real_identity()
    {
        BundleSigner.Arguments(new SigningIdentity(DeveloperId), "/tmp/e.plist", "/b/x.so", "/b/y.dylib").Should().Equal(
            "--force", "--sign", DeveloperId, "--timestamp", "--options", "runtime", "--entitlements", "/tmp/e.plist", "/b/x.so", "/b/y.dylib");
        BundleSigner.Arguments(SigningIdentity.AdHoc, null, "/b/x.so").Should().Equal("--force", "--sign", "-", "--options", "runtime", "/b/x.so");
    }

    [Fact]
    public async Task With_several_at_a_time_the_executables_still_come_after_every_library()
    {
        await Steps().SignAsync();

        SignedInOrder().Skip(3).Should().BeEquivalentTo(["python/bin/python3.12", "msty-mlx-studio"]);
    }

    [Fact]
    public async Task Writes_entitlements_with_library_validation_disabled_merged_with_the_given_plist()
    {
        var extra = _temp.Write("extra.plist", """
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0"><dict>
              <key>com.apple.security.cs.allow-unsigned-executable-memory</key><true/>
            </dict></plist>
            """);

        await Steps(change: x => x with { Signing = x.Signing with { Entitlements = extra } }).SignAsync();

        var plist = File.ReadAllText(_temp[".nuke/temp/entitlements.plist"]);
        plist.Should().Contain("<key>com.apple.security.cs.disable-library-validation</key>").And.Contain("<key>com.apple.security.cs.allow-unsigned-executable-memory</key>");
        plist.Should().StartWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist");
        EntitlementsPlist.Create(libraryValidation: true, null).Should().NotContain("disable-library-validation");
    }

    [Fact]
    public async Task Fails_listing_every_file_codesign_rejected_and_leaves_the_bundle_unsigned()
    {
        _fakes.AddScript("codesign", """
            for file in "$@"; do
              case "$file" in *.so|*libmlx.dylib) echo "$file: code object is not signed at all" >&2; exit 1;; esac
            done
            """);

        var act = () => Steps().SignAsync();

        var message = (await act.Should().ThrowAsync<ReleaseException>()).Which.Message;
        message.Should().Contain("codesign failed on 2 of 5 files");
        message.Should().Contain("_vendor/mlx/lib/libmlx.dylib:").And.Contain("lib-dynload/_ssl.cpython-312-darwin.so:").And.Contain("code object is not signed at all");
        SignatureRecord.Read(Bundle).Should().BeNull();
        SignedInOrder().Distinct().Should().HaveCount(5, "every file is tried, so one run reports every problem");
    }

    [Fact]
    public async Task Retries_a_transient_timestamp_failure()
    {
        _fakes.AddScript("codesign", """
            for file in "$@"; do
              case "$file" in *libmlx.dylib)
                failures=$(cat "$FAKE_CALLS/libmlx.failures" 2>/dev/null || echo 0)
                if [ "$failures" -lt 2 ]; then echo $((failures + 1)) > "$FAKE_CALLS/libmlx.failures"; echo "$file: The timestamp service is not available." >&2; exit 1; fi;;
              esac
            done
            """);
        var signer = new BundleSigner(_fakes.Runner()) { Parallelism = SigningParameters.DefaultSignParallelism, FirstRetryDelay = TimeSpan.FromMilliseconds(5) };
        using var log = LogCapture.Start();

        await signer.SignAsync(Bundle, SigningIdentity.AdHoc, _temp.Write("e.plist", "<plist/>"), ["msty-mlx-studio"], CancellationToken.None);

        SignedInOrder().Count(x => x.EndsWith("libmlx.dylib")).Should().Be(3, "in its batch, then on its own, then once more after the backoff");
        log.Messages.Should().Contain(x => x.Contains("timestamp service is not available") && x.Contains("retry 1/3"));
        SignatureRecord.Read(Bundle).Should().NotBeNull();
    }

    [Fact]
    public async Task A_release_identity_needs_a_bundle_that_passes_the_release_preflight()
    {
        // The fake codesign leaves the linker's ad-hoc signatures in place, as a failed real signing would.
        var act = () => Steps(DeveloperId).SignAsync();

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*fails the notarization preflight*");
        SignatureRecord.Read(Bundle).Should().BeNull();
        _fakes.Calls("codesign").Should().OnlyContain(x => x.Contains("--timestamp"));
    }

    [Fact]
    public async Task An_interrupted_signing_leaves_the_bundle_unsigned()
    {
        SignatureRecord.Write(Bundle, new SignatureRecord("-", true, 5, SignatureRecord.FingerprintOf(Bundle), DateTimeOffset.UtcNow));
        var signer = new BundleSigner(_fakes.Runner()) { Parallelism = SigningParameters.DefaultSignParallelism };

        var act = () => signer.SignAsync(Bundle, SigningIdentity.AdHoc, _temp.Write("e.plist", "<plist/>"), ["msty-mlx-studio"], new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        SignatureRecord.Read(Bundle).Should().BeNull();
    }
}
