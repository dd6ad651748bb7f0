using ReleaseKit.Notarization;
using ReleaseKit.Settings;
using ReleaseKit.Signing;
using ReleaseKit.Tests.MachO;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Notarization;

/// <summary>Notarize against the notarytool, ditto and codesign fakes, on a bundle that Sign really signed.</summary>
public class NotarizeTests : IDisposable, IClassFixture<MachOFixtures>
{
    private const string Version = "2.0.0b6";
    private const string Password = "abcd-efgh-ijkl-mnop";
    private readonly TempDirectory _temp = new();
    private readonly FakeTools _fakes = new FakeTools().AddApple();

    public NotarizeTests(MachOFixtures machO)
    {
        machO.PlaceBundle(Bundle, libmlx: "liba-universal.dylib");
        File.WriteAllText(_temp["package.json"], $$"""{ "version": "{{Version}}" }""");
        Steps().SignAsync().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _temp.Dispose();
        _fakes.Dispose();
    }

    private string Bundle => _temp["dist-ext-python/msty-mlx-studio"];

    private string Record => _temp[$"artifacts/notarization-{Version}.json"];

    private ReleaseSettings Settings => new()
    {
        RootDirectory = _temp.Path,
        Version = Version,
        Signing = new() { SignId = AppleFakes.DeveloperId },
        Notary = new() { AppleId = "release@example.com", AppleTeamId = "TEAM123456", AppleAppSpecificPassword = Password },
    };

    private ReleasePipeline Steps(Func<ReleaseSettings, ReleaseSettings>? change = null) =>
        new(change?.Invoke(Settings) ?? Settings, _fakes.Runner()) { WorkDirectory = Work };

    // A folder of this test's own: end-to-end tests notarize in parallel, in the system's temp folder.
    private string Work => Directory.CreateDirectory(_temp["work"]).FullName;

    private IEnumerable<string> LeftoverWorkFolders() => Directory.GetDirectories(Work, "notarize-msty-mlx-studio-*");

    [Fact]
    public async Task Accepted_submits_once_without_waiting_then_waits_by_id_and_shows_Apples_warnings()
    {
        _fakes.NotaryScenario(new { issues = new[] { new { severity = "warning", path = "_vendor/mlx/lib/libmlx.dylib", message = "The binary uses an SDK older than the 10.9 SDK.", architecture = "x86_64" } } });
        var before = LeftoverWorkFolders().ToArray();
        using var log = LogCapture.Start();
        var steps = Steps();

        await steps.NotarizeAsync();

        var submit = _fakes.Notarytool("submit").Single();
        submit[1].Should().EndWith("/msty-mlx-studio-2.0.0b6.zip");
        submit.Skip(2).Should().Equal("--apple-id", "release@example.com", "--team-id", "TEAM123456", "--password", Password, "--no-wait", "--output-format", "json");
        _fakes.Calls("ditto").Single().Should().Equal("-c", "-k", "--keepParent", Bundle, submit[1]);
        File.Exists(submit[1]).Should().BeFalse("the submission zip is removed");
        LeftoverWorkFolders().Should().BeEquivalentTo(before);

        var id = steps.Results.Notarization!.Id;
        _fakes.Notarytool("wait").Single().Should().Equal(["wait", id, "--apple-id", "release@example.com", "--team-id", "TEAM123456", "--password", Password, "--timeout", "2h", "--output-format", "json"]);
        _fakes.Notarytool("info").Single().Take(2).Should().Equal("info", id);
        _fakes.Notarytool("log").Single().Take(2).Should().Equal("log", id);
        _fakes.Calls("xcrun").Select(x => x[1]).Should().Equal("submit", "wait", "info", "log");

        steps.Results.Notarization.Should().Be(new NotarizationResult(id, "Accepted", 1));
        SubmissionRecord.Read(Record).Should().Match<SubmissionRecord>(x => x.Id == id && x.Status == "Accepted" && x.StatusSummary == "Ready for distribution");
        log.Messages.Should().Contain(x => x.Contains("warning") && x.Contains("_vendor/mlx/lib/libmlx.dylib") && !x.Contains(".zip/") && x.Contains("older than the 10.9 SDK"));
        log.Messages.Should().Contain(x => x.Contains($"--notary-submission-id {id}"), "the id is printed as soon as Apple returns it");
        log.Text.Should().NotContain(Password).And.Contain("--password ***");
    }

    [Fact]
    public async Task Invalid_fails_by_the_status_although_notarytool_exits_0_and_lists_each_issue_by_its_bundle_path()
    {
        _fakes.NotaryScenario(new
        {
            verdict = "Invalid",
            issues = new[]
            {
                new { severity = "error", path = "python/lib/python3.12/lib-dynload/_ssl.cpython-312-darwin.so", message = "The binary is not signed." },
                new { severity = "error", path = "msty-mlx-studio", message = "The signature does not include a secure timestamp." },
            },
        });
        using var log = LogCapture.Start();

        var act = () => Steps().NotarizeAsync();

        var message = (await act.Should().ThrowAsync<ReleaseException>()).Which.Message;
        message.Should().Contain("answered Invalid").And.Contain("Archive contains critical validation errors").And.Contain("2 issue(s)");
        message.Should().Contain("python/lib/python3.12/lib-dynload/_ssl.cpython-312-darwin.so: The binary is not signed.");
        log.Messages.Where(x => x.StartsWith("Apple error")).Should().HaveCount(2).And.Contain(x => x.Contains("msty-mlx-studio [arm64] The signature does not include a secure timestamp."));
        _fakes.Calls("xcrun").Select(x => x[1]).Should().Equal("submit", "wait", "info", "log");
        SubmissionRecord.Read(Record)!.Status.Should().Be("Invalid");
    }

    [Fact]
    public async Task Still_in_progress_after_the_timeout_fails_with_the_resume_command_and_resuming_waits_without_uploading_again()
    {
        _fakes.NotaryScenario(new { pending = 1 });

        var first = () => Steps(x => x with { Notary = x.Notary with { NotaryTimeout = "90m" } }).NotarizeAsync();

        var message = (await first.Should().ThrowAsync<ReleaseException>()).Which.Message;
        var id = SubmissionRecord.Read(Record)!.Id;
        message.Should().Contain($"--notary-submission-id {id}").And.Contain("90m").And.Contain("In Progress");
        _fakes.Notarytool("log").Should().BeEmpty("the log exists only once processing is complete");

        var resumed = Steps(x => x with { Notary = x.Notary with { NotarySubmissionId = id } });
        await resumed.NotarizeAsync();

        resumed.Results.Notarization!.Status.Should().Be("Accepted");
        _fakes.Notarytool("submit").Should().ContainSingle();
        _fakes.Calls("ditto").Should().ContainSingle();
        _fakes.Notarytool("wait").Should().HaveCount(2).And.OnlyContain(x => x[1] == id);
    }

    [Fact]
    public async Task Resuming_refuses_a_submission_made_from_another_build_of_the_bundle()
    {
        _fakes.NotaryScenario(new { pending = 1 });
        await FluentActions.Awaiting(() => Steps().NotarizeAsync()).Should().ThrowAsync<ReleaseException>();
        var id = SubmissionRecord.Read(Record)!.Id;
        File.AppendAllText(Path.Combine(Bundle, "_vendor/mlx/__init__.py"), "# rebuilt\n");
        await Steps().SignAsync();

        var act = () => Steps(x => x with { Notary = x.Notary with { NotarySubmissionId = id } }).NotarizeAsync();

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*made from a different bundle*without --notary-submission-id*");
        _fakes.Notarytool("wait").Should().ContainSingle();
    }

    [Fact]
    public async Task An_upload_that_dies_with_plain_text_is_retried_and_one_that_keeps_failing_ends_without_S3_acceleration()
    {
        _fakes.NotaryScenario(new { submitFailures = 1 });
        using var log = LogCapture.Start();

        await Notarizer().NotarizeAsync(Request(), CancellationToken.None);

        _fakes.Notarytool("submit").Should().HaveCount(2).And.OnlyContain(x => !x.Contains("--no-s3-acceleration"));
        log.Messages.Should().Contain(x => x.StartsWith("Upload to Apple's notary service failed") && x.Contains("MultipartUploadError") && x.Contains("retry 1/2"));

        _fakes.Fault("notary-state.json", """{ "submits": 0, "submissions": {} }""");
        _fakes.NotaryScenario(new { submitFailures = 3, submitFailure = "empty" });

        var act = () => Notarizer().NotarizeAsync(Request(), CancellationToken.None);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("after 3 attempts").And.Contain("exited with 137 and printed nothing");
        var submits = _fakes.Notarytool("submit").Skip(2).ToArray();
        submits.Select(x => x.Contains("--no-s3-acceleration")).Should().Equal(false, false, true);
        File.Exists(submits[^1][1]).Should().BeFalse();
    }

    [Fact]
    public async Task A_submit_that_fails_after_Apple_returned_an_id_is_waited_on_not_uploaded_again()
    {
        _fakes.NotaryScenario(new { submitFailures = 1, submitFailure = "after-id" });
        using var log = LogCapture.Start();

        var result = await Notarizer().NotarizeAsync(Request(), CancellationToken.None);

        result.Status.Should().Be("Accepted");
        _fakes.Notarytool("submit").Should().ContainSingle();
        _fakes.Notarytool("wait").Single()[1].Should().Be(result.Id);
        log.Messages.Should().Contain(x => x.Contains("exited with 1 but returned submission") && x.Contains("network connection was lost"));
    }

    [Fact]
    public async Task Refused_credentials_fail_at_once_with_what_to_check()
    {
        _fakes.NotaryScenario(new { auth = "401" });

        var act = () => Notarizer().NotarizeAsync(Request(), CancellationToken.None);

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("refused the notarization credentials").And.Contain("app-specific password");
        _fakes.Notarytool("submit").Should().ContainSingle("a refused login is not an upload failure worth retrying");
    }

    [Fact]
    public async Task An_API_key_given_as_content_goes_to_a_private_file_for_the_calls_and_never_to_the_log()
    {
        const string key = "-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg\n-----END PRIVATE KEY-----\n";
        _fakes.AddScript("xcrun", $$"""
            key="$(printf '%s\n' "$@" | sed -n '/^--key$/{n;p;}')"
            stat -c '%a' "$key" >> "$FAKE_CALLS/key-modes"
            exec python3 '{{ProjectRoot.File("tests/ReleaseKit.Tests/Fakes/xcrun.py")}}' "$FAKE_CALLS" "$@"
            """);
        using var log = LogCapture.Start();

        await Steps(x => x with { Notary = x.Notary with { AppleId = null, AppleTeamId = null, AppleAppSpecificPassword = null, NotaryKey = key, NotaryKeyId = "ABCDE12345", NotaryIssuer = "69a6de70-03db-47e3-e053-5b8c7c11a4d1" } }).NotarizeAsync();

        var submit = _fakes.Notarytool("submit").Single();
        submit.SkipWhile(x => x != "--key").Take(6).Should().Equal("--key", submit[submit.ToList().IndexOf("--key") + 1], "--key-id", "ABCDE12345", "--issuer", "69a6de70-03db-47e3-e053-5b8c7c11a4d1");
        File.ReadAllLines(_fakes.CallsDirectory + "/key-modes").Should().HaveCount(4).And.OnlyContain(x => x == "600");
        File.Exists(submit[submit.ToList().IndexOf("--key") + 1]).Should().BeFalse("the key file goes with the work folder");
        log.Text.Should().NotContain("MIGTAgEAMBMGByqGSM49");
    }

    [Fact]
    public async Task A_keychain_profile_is_passed_by_name()
    {
        await Steps(x => x with { Notary = x.Notary with { AppleId = null, AppleTeamId = null, AppleAppSpecificPassword = null, NotaryKeychainProfile = "msty-notary" } }).NotarizeAsync();

        _fakes.Calls("xcrun").Should().OnlyContain(x => x.SkipWhile(a => a != "--keychain-profile").Take(2).SequenceEqual(new[] { "--keychain-profile", "msty-notary" }));
    }

    [Fact]
    public async Task Refuses_a_bundle_that_is_unsigned_changed_since_signing_ad_hoc_or_failing_the_preflight_before_any_upload()
    {
        File.AppendAllText(Path.Combine(Bundle, "_vendor/mlx/__init__.py"), "# changed\n");
        await FluentActions.Awaiting(() => Steps().NotarizeAsync()).Should().ThrowAsync<ReleaseException>().WithMessage("*changed after it was signed*Sign again*");

        SignatureRecord.Remove(Bundle);
        await FluentActions.Awaiting(() => Steps().NotarizeAsync()).Should().ThrowAsync<ReleaseException>().WithMessage("*is not signed: run Sign before Notarize*");

        await Steps(x => x with { Signing = x.Signing with { SignId = "-" } }).SignAsync();
        await FluentActions.Awaiting(() => Steps().NotarizeAsync()).Should().ThrowAsync<ReleaseException>().WithMessage("*only ad-hoc signed*");

        // A record that claims a Developer ID over files that only carry ad-hoc signatures.
        SignatureRecord.Write(Bundle, SignatureRecord.Read(Bundle)! with { AdHoc = false, Identity = AppleFakes.DeveloperId });
        await FluentActions.Awaiting(() => Steps().NotarizeAsync()).Should().ThrowAsync<ReleaseException>().WithMessage("*preflight finds 6 error(s)*", "one per file, and two for the universal libmlx");

        _fakes.Calls("xcrun").Should().BeEmpty();
        _fakes.Calls("ditto").Should().BeEmpty();
    }

    [Fact]
    public async Task Refuses_a_file_edited_after_signing_with_its_size_and_time_restored_before_any_upload()
    {
        var script = Path.Combine(Bundle, "_vendor/mlx/__init__.py");
        var time = File.GetLastWriteTimeUtc(script);
        var content = File.ReadAllBytes(script);
        content[^1] ^= 0x01;
        File.WriteAllBytes(script, content);
        File.SetLastWriteTimeUtc(script, time);

        await FluentActions.Awaiting(() => Steps().NotarizeAsync()).Should().ThrowAsync<ReleaseException>()
            .WithMessage("*not what was signed: _vendor/mlx/__init__.py changed after it was signed*");
        _fakes.Calls("xcrun").Should().BeEmpty();
        _fakes.Calls("ditto").Should().BeEmpty();
    }

    [Fact]
    public async Task Skip_notarize_calls_nothing_and_says_the_release_is_not_notarized()
    {
        using var log = LogCapture.Start();

        var steps = Steps(x => x with { Notary = x.Notary with { SkipNotarize = true, AppleId = null } });
        await steps.NotarizeAsync();
        steps.WriteSummary();

        _fakes.Calls("xcrun").Should().BeEmpty();
        log.Messages.Should().Contain(x => x.Contains("NOT notarized"));
        steps.Summary!.Notarization.Should().Be("not notarized");
        steps.Summary.ToTable().Should().Contain("| not notarized |");
    }

    private Notarizer Notarizer() =>
        new(_fakes.Runner(), NotaryCredentials.From(Settings.Notary).Credentials!) { UploadRetryDelay = TimeSpan.Zero, WorkDirectory = Work };

    private NotarizationRequest Request() =>
        new(Bundle, "msty-mlx-studio", Version, Record, NotaryTimeout.TryParse("2h")!, null, LibraryValidation: false, ["msty-mlx-studio", "python/bin/python3.12"]);
}
