using ReleaseKit.Tests.EndToEnd;
using ReleaseKit.Tests.Publishing;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.Host;

/// <summary>
/// `./build.sh Release` then `./build.sh Verify` through the real host on Linux: CPython from
/// 127.0.0.1, the app and its wheels from a local wheelhouse (--pip-args with dashes on the command
/// line), the fakes of Apple's tools on PATH. Then GNU tar unpacks the tarball and the shipped
/// launcher runs the app, and a second Release from the same inputs writes the same tarball (but
/// for the signing time inside each Developer ID signature).
/// </summary>
[Trait("Category", TestTier.Slow)]
[Collection(HostCollection.Name)]
[Trait("Category", TestTier.HostPython)]
public sealed class HostReleaseTests(HostCheckout host, EndToEndFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly ReleaseProject _project = new(fixture, "2.0.0");

    public void Dispose() => _project.Dispose();

    private string Tarball => Path.Combine(host.Root, "artifacts", "msty-mlx-studio-2.0.0.tgz");

    private Dictionary<string, string?> Environment => new()
    {
        ["PATH"] = _project.Fakes.SearchPath,
        ["SOURCE_DATE_EPOCH"] = "1767225600",
        ["APPLE_APP_SPECIFIC_PASSWORD"] = "abcd-efgh-ijkl-mnop",
    };

    private async Task<HostRun> ReleaseAsync()
    {
        var run = await host.RunScriptAsync(
        [
            "Clean", "Release", "--no-logo",
            "--cpython-url", fixture.AssetUrl, "--allow-foreign-python",
            "--pip-args", $"--no-index --find-links {_project.Wheels}",
            "--sign-id", AppleFakes.DeveloperId,
            "--apple-id", "release@example.com", "--apple-team-id", "TEAM123456",
        ], Environment);
        output.WriteLine(run.Output);
        run.ExitCode.Should().Be(0, "the release must succeed");
        return run;
    }

    [Fact]
    public async Task Release_then_Verify_through_the_host_ships_a_tarball_whose_launcher_runs_the_app_and_a_second_release_is_the_same()
    {
        var release = await ReleaseAsync();

        release.Targets.Should().Contain("Release", "Succeeded").And.Contain("Notarize", "Succeeded").And.Contain("Upload", "Skipped");
        release.Output.Should().Contain("| version | variant").And.NotContain("abcd-efgh-ijkl-mnop");
        release.Output.Should().Contain("review 2: gpl-helper 1.2.0 (copyleft: GPL-3.0-only), mystery-lib 0.1.0 (no licence information)");
        _project.Fakes.Calls("xcrun").Select(x => x[1]).Should().Equal("submit", "wait", "info", "log");
        var sha256 = (await File.ReadAllTextAsync(Tarball + ".sha256")).Split(' ')[0];
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Tarball))).Should().Be(sha256);

        var verify = await host.RunAsync(["Verify", "--no-logo", "--sign-id", AppleFakes.DeveloperId], Environment);
        output.WriteLine(verify.Output);
        verify.ExitCode.Should().Be(0);
        verify.Targets.Should().Contain("Verify", "Succeeded");
        verify.Output.Should().Contain("Verified ").And.Contain("checks passed");

        using var unpacked = new TempDirectory("unpacked");
        Shell.Run("tar", "-xzf", Tarball, "-C", unpacked.Path);
        Shell.Run(unpacked["msty-mlx-studio/msty-mlx-studio"], "--version").Trim().Should().Be("mlxk2 2.0.4");
        await ShipsItsInventory.AssertAsync(unpacked["msty-mlx-studio"], Path.Combine(host.Root, "artifacts", "msty-mlx-studio-2.0.0.cdx.json"), sha256);
        verify.Output.Should().Contain("sbom subject");
        var pycs = Directory.GetFiles(unpacked["msty-mlx-studio"], "*.pyc", SearchOption.AllDirectories);
        pycs.Should().NotBeEmpty();
        Shell.Run("python3", "-c", "import marshal, sys\nfor path in sys.argv[1:]:\n    with open(path, 'rb') as f:\n        f.read(16)\n        print(marshal.load(f).co_filename)", pycs[0])
            .Should().StartWith("msty-mlx-studio/", "a .pyc names the path its source has in the tarball, not the build folder");

        var first = await File.ReadAllBytesAsync(Tarball);
        await ReleaseAsync();
        Entries(await File.ReadAllBytesAsync(Tarball)).Should().Equal(Entries(first),
            "two releases of the same inputs and SOURCE_DATE_EPOCH give the same tarball, but for the signing time in each Developer ID signature");
        host.ChangedFiles().Should().BeEmpty("a release writes only ignored folders");
    }

    /// <summary>
    /// Each entry's header, and the SHA-256 of its content unless it is a Mach-O file: codesign
    /// puts the time of signing into every Developer ID signature (only ad-hoc ones repeat byte for byte).
    /// </summary>
    private static IReadOnlyList<string> Entries(byte[] tarball)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(tarball), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new System.Formats.Tar.TarReader(gzip);
        var entries = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            var bytes = content.ToArray();
            var machO = bytes.Length >= 4 && BitConverter.ToUInt32(bytes) is 0xfeedfacf or 0xbebafeca;
            entries.Add($"{entry.EntryType} {entry.Name} {entry.LinkName} {entry.Mode} {entry.ModificationTime:O} {bytes.Length} " +
                        (machO ? "Mach-O" : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))));
        }

        return entries;
    }

    [Fact]
    public async Task A_signed_release_to_R2_loses_a_channel_race_cleanly_verifies_as_users_download_it_promotes_and_a_replaced_object_fails_Verify()
    {
        using var keys = new TempDirectory("update-key");
        Shell.Run("minisign", "-G", "-W", "-p", keys["update.pub"], "-s", keys["update.key"]);
        var version = $"2.1.{Random.Shared.Next(1_000_000)}";
        var storage = fixture.Storage;
        // R2's conditional writes, and a race: right before this release's write of the stable
        // channel, another release moves it to 99.0.0. This one must stand down, not overwrite it.
        await using var proxy = await storage.StartProxyAsync();
        using var direct = ReleaseKit.Publishing.R2Client.Create(storage.Target, storage.TrustingFactory);
        proxy.BeforePut($"{S3rverFixture.Bucket}/releases/channels/stable.json", () => new ReleaseKit.Publishing.ReleaseChannel(direct, storage.Target).MoveAsync(
            "stable", "msty-mlx-studio", ReleaseKit.Tooling.Pep440Version.Parse("99.0.0"), "releases/99.0.0/manifest.json", "{}"u8.ToArray(), null, false, CancellationToken.None));
        var environment = new Dictionary<string, string?>(Environment)
        {
            ["VERSION"] = version,
            ["R2_ENDPOINT"] = proxy.Endpoint, ["R2_BUCKET"] = S3rverFixture.Bucket, ["R2_ACCESS_KEY_ID"] = "S3RVER", ["R2_SECRET_ACCESS_KEY"] = "S3RVER",
            ["UPDATE_SIGNING_KEY"] = File.ReadAllText(keys["update.key"]),
            ["UPDATE_PUBLIC_KEY"] = File.ReadAllLines(keys["update.pub"])[1],
            // The host trusts s3rver's self-signed certificate as a user's machine trusts R2's.
            ["SSL_CERT_FILE"] = storage.CertificateFile,
        };

        var release = await host.RunAsync(
        [
            "Clean", "Release", "--no-logo",
            "--cpython-url", fixture.AssetUrl, "--allow-foreign-python",
            "--pip-args", $"--no-index --find-links {_project.Wheels}",
            "--sign-id", AppleFakes.DeveloperId,
            "--apple-id", "release@example.com", "--apple-team-id", "TEAM123456",
        ], environment);
        output.WriteLine(release.Output);
        release.ExitCode.Should().Be(0, "the signed release with R2 must succeed");
        release.Targets.Should().Contain("Upload", "Succeeded");
        release.Output.Should().Contain("| update").And.NotContain("unsigned update");
        release.Output.Should().Contain("Channel stable was moved by someone else").And.Contain($"Channel stable stays at 99.0.0: {version} is not newer");

        var verify = await host.RunAsync(["Verify", "--from-r2", "--no-logo", "--sign-id", AppleFakes.DeveloperId], environment);
        output.WriteLine(verify.Output);
        verify.ExitCode.Should().Be(0, "what users download verifies");
        verify.Output.Should().Contain("update signature");

        var promote = await host.RunAsync(["Promote", "--channel", "candidate", "--no-logo", "--sign-id", AppleFakes.DeveloperId], environment);
        output.WriteLine(promote.Output);
        promote.ExitCode.Should().Be(0);
        promote.Targets.Should().Contain("Promote", "Succeeded");

        using (var client = ReleaseKit.Publishing.R2Client.Create(storage.Target, storage.TrustingFactory))
        {
            var channels = new ReleaseKit.Publishing.ReleaseChannel(client, storage.Target);
            (await channels.ReadAsync("releases/channels/candidate.json", CancellationToken.None)).Pointer!.Version.Should().Be(version);
            (await channels.ReadAsync("releases/channels/stable.json", CancellationToken.None)).Pointer!.Version.Should().Be("99.0.0", "the race was lost cleanly");
            await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
            {
                BucketName = S3rverFixture.Bucket, Key = $"releases/{version}/msty-mlx-studio-{version}.tgz", ContentBody = "replaced in the bucket",
            });
        }

        var tampered = await host.RunAsync(["Verify", "--from-r2", "--no-logo", "--sign-id", AppleFakes.DeveloperId], environment);
        tampered.ExitCode.Should().NotBe(0);
        tampered.Output.Should().Contain($"releases/{version}/msty-mlx-studio-{version}.tgz: manifest size and sha256");
    }
}
