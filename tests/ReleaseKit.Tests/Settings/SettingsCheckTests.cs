using ReleaseKit.Settings;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Settings;

public class SettingsCheckTests : IDisposable
{
    private const ReleaseStage FullRelease =
        ReleaseStage.FetchPython | ReleaseStage.Bundle | ReleaseStage.Sign | ReleaseStage.Notarize | ReleaseStage.Package | ReleaseStage.Upload;

    private readonly TempDirectory _root = new();
    private readonly FakeTools _macTools = new();

    public SettingsCheckTests()
    {
        _root.Write("package.json", """{ "version": "2.0.0b6" }""");
        _root.Write("requirements.txt", "mlx>=0.29\n");
        _root.Write("python/bin/python3", "");
        // The bundle's tools too: off macOS the launcher is built with cc, and the host's python3 vendors.
        foreach (var tool in new[] { "codesign", "xcrun", "ditto", "cc", "python3", "patch" })
            _macTools.Add(tool);
    }

    public void Dispose()
    {
        _root.Dispose();
        _macTools.Dispose();
    }

    private ReleaseSettings Complete => new()
    {
        RootDirectory = _root.Path,
        Bundle = new() { AppPackage = "mlx-knife==2.0.4" },
        Signing = new() { SignId = "Developer ID Application: Example (TEAM123456)" },
        Notary = new() { AppleId = "release@example.com", AppleTeamId = "TEAM123456", AppleAppSpecificPassword = "abcd-efgh-ijkl-mnop" },
        Upload = new() { R2AccessKeyId = "key", R2SecretAccessKey = "secret", R2Bucket = "releases", R2Endpoint = "https://account.r2.cloudflarestorage.com" },
    };

    private IReadOnlyList<string> Check(ReleaseSettings settings, ReleaseStage stages, bool uploadRequested = false, ToolLocator? tools = null, bool onMacOS = false) =>
        Checker(settings, tools, onMacOS).Check(stages, uploadRequested);

    private SettingsCheck Checker(ReleaseSettings settings, ToolLocator? tools = null, bool onMacOS = false) =>
        new(new ReleaseOptions(settings, _ => null, prepareOnMacOS: onMacOS, verifyOnMacOS: onMacOS), tools ?? new ToolLocator(_macTools.BinDirectory));

    [Fact]
    public void A_complete_release_configuration_has_no_problems()
    {
        Check(Complete, FullRelease).Should().BeEmpty();
    }

    [Fact]
    public void Lists_every_missing_setting_at_once()
    {
        var settings = Complete with { Signing = Complete.Signing with { SignId = null }, Notary = Complete.Notary with { AppleTeamId = null }, Upload = Complete.Upload with { R2Bucket = null }, Bundle = Complete.Bundle with { Variant = "docker" } };

        var act = () => Checker(settings).EnsureValid(FullRelease);

        var problems = act.Should().Throw<SettingsException>().Which.Problems;
        problems.Should().HaveCount(4);
        problems.Should().Contain(x => x.StartsWith("SIGN_ID (--sign-id) is not set: export SIGN_ID="));
        problems.Should().Contain(x => x.Contains("APPLE_ID and APPLE_APP_SPECIFIC_PASSWORD set but APPLE_TEAM_ID (--apple-team-id) missing: the Apple ID credentials need all of them"));
        problems.Should().Contain(x => x.Contains("Upload to R2 needs R2_BUCKET (--r2-bucket)"));
        problems.Should().Contain(x => x.Contains("'docker': use external or pyinstaller"));
    }

    [Theory]
    [InlineData("3rd Party Mac Developer Application: Example (TEAM123456)", true)]
    [InlineData("Apple Development: Example (TEAM123456)", true)]
    [InlineData("Example (TEAM123456)", true)]
    [InlineData("Developer ID Application: Example (TEAM123456)", false)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567", false)]
    public void Notarizing_needs_a_Developer_ID_Application_identity(string signId, bool refused)
    {
        var settings = Complete with { Signing = Complete.Signing with { SignId = signId } };

        var problems = Check(settings, FullRelease);

        if (refused)
            problems.Should().ContainSingle().Which.Should().StartWith($"SIGN_ID (--sign-id) is '{signId}', not a Developer ID Application identity").And.Contain("--skip-notarize");
        else
            problems.Should().BeEmpty();
        Check(settings with { Notary = settings.Notary with { SkipNotarize = true } }, FullRelease).Should().BeEmpty("without notarization any identity may sign");
    }

    [Theory]
    [InlineData("13.5", null)]
    [InlineData("15", null)]
    [InlineData(" ", null)]
    [InlineData("10.15", "MACOS_MIN (--macos-min) is 10.15: Apple Silicon Macs run macOS 11.0 or later")]
    [InlineData("sonoma", "MACOS_MIN (--macos-min) is 'sonoma': give a macOS version such as 14.0 or 15")]
    public void The_oldest_supported_macOS_is_a_version_Apple_Silicon_runs(string minimum, string? problem)
    {
        var problems = Check(Complete with { MacosMin = minimum }, FullRelease);

        if (problem is null)
            problems.Should().BeEmpty();
        else
            problems.Should().Equal(problem);
        Check(Complete with { MacosMin = minimum }, ReleaseStage.Upload).Should().BeEmpty("Upload alone does not look at binaries");
    }

    [Fact]
    public void An_R2_path_without_the_R2_credentials_is_a_problem_not_a_silent_skip()
    {
        var settings = Complete with { Upload = new() { R2Path = "releases/beta/" } };

        var problems = Check(settings, FullRelease);

        problems.Should().ContainSingle().Which.Should().Contain("Upload to R2 needs").And.Contain("R2_BUCKET (--r2-bucket)");
        Check(Complete with { Upload = new() }, FullRelease).Should().BeEmpty("without any R2 setting a release does not upload");
    }

    [Fact]
    public void The_error_message_shows_each_problem_on_its_own_line()
    {
        var act = () => Checker(Complete with { Signing = Complete.Signing with { SignId = null }, Notary = Complete.Notary with { AppleId = null } }).EnsureValid(FullRelease);

        act.Should().Throw<SettingsException>().WithMessage("The release settings have 2 problem(s):*  - SIGN_ID*  - *APPLE_ID*");
    }

    [Fact]
    public void No_apple_credentials_at_all_suggests_skip_notarize()
    {
        var problems = Check(Complete with { Notary = Complete.Notary with { AppleId = null, AppleTeamId = null, AppleAppSpecificPassword = null } }, FullRelease);

        problems.Should().ContainSingle().Which.Should()
            .Contain("NOTARY_KEY, NOTARY_KEY_ID and NOTARY_ISSUER").And.Contain("NOTARY_KEYCHAIN_PROFILE")
            .And.Contain("APPLE_ID, APPLE_TEAM_ID and APPLE_APP_SPECIFIC_PASSWORD").And.Contain("--skip-notarize");
    }

    [Fact]
    public void Skip_notarize_needs_no_apple_credentials()
    {
        Check(Complete with { Notary = Complete.Notary with { AppleId = null, AppleTeamId = null, AppleAppSpecificPassword = null, SkipNotarize = true } }, FullRelease)
            .Should().BeEmpty();
    }

    [Fact]
    public void Ad_hoc_signing_is_fine_locally_but_cannot_be_notarized()
    {
        Check(Complete with { Signing = Complete.Signing with { SignId = "-" }, Notary = Complete.Notary with { SkipNotarize = true } }, FullRelease).Should().BeEmpty();
        Check(Complete with { Signing = Complete.Signing with { SignId = "-" } }, FullRelease).Should().ContainSingle().Which.Should().Contain("ad-hoc").And.Contain("--skip-notarize");
    }

    [Fact]
    public void No_R2_settings_skips_the_upload_in_a_release()
    {
        var settings = Complete with { Upload = Complete.Upload with { R2AccessKeyId = null, R2SecretAccessKey = null, R2Bucket = null, R2Endpoint = null } };

        Check(settings, FullRelease).Should().BeEmpty();
        settings.Upload.HasAny.Should().BeFalse();
    }

    [Fact]
    public void Asking_for_Upload_by_name_without_R2_settings_lists_them_all()
    {
        var settings = Complete with { Upload = Complete.Upload with { R2AccessKeyId = null, R2SecretAccessKey = null, R2Bucket = null, R2Endpoint = null } };

        Check(settings, ReleaseStage.Upload, uploadRequested: true).Should().ContainSingle().Which.Should()
            .Contain("R2_ACCESS_KEY_ID").And.Contain("R2_SECRET_ACCESS_KEY").And.Contain("R2_BUCKET").And.Contain("R2_ENDPOINT");
    }

    [Theory]
    [InlineData("http://account.r2.cloudflarestorage.com", null, "must be an https URL")]
    [InlineData("account.r2.cloudflarestorage.com", null, "must be an https URL")]
    [InlineData("https://account.r2.cloudflarestorage.com", "/releases/2.0.0/", "relative key prefix")]
    [InlineData("https://account.r2.cloudflarestorage.com", "releases/../secrets/", "'..'")]
    [InlineData("https://account.r2.cloudflarestorage.com", "releases/./2.0.0/", "'.'")]
    [InlineData("https://account.r2.cloudflarestorage.com", "releases//2.0.0/", "empty segments")]
    [InlineData("https://account.r2.cloudflarestorage.com", "releases/2.0.0?x=1", "only letters, digits")]
    [InlineData("https://account.r2.cloudflarestorage.com", "releases/2.0.0#top", "only letters, digits")]
    [InlineData("https://account.r2.cloudflarestorage.com", "releases/2 0/", "only letters, digits")]
    public void Rejects_unusable_R2_endpoint_and_path(string endpoint, string? path, string message)
    {
        Check(Complete with { Upload = Complete.Upload with { R2Endpoint = endpoint, R2Path = path } }, ReleaseStage.Upload).Should().ContainSingle().Which.Should().Contain(message);
    }

    [Theory]
    [InlineData("http://example.com/cpython.tar.gz", "https URL")]
    [InlineData("ftp://example.com/cpython.tar.gz", "https URL")]
    [InlineData("https://example.com/releases/..%2F..%2Fevil", "does not end in an archive file name")]
    [InlineData("https://example.com/releases/%2E%2E", "does not end in an archive file name")]
    [InlineData("https://example.com/", "does not end in an archive file name")]
    public void Refuses_a_CPython_URL_that_is_not_https_or_does_not_name_an_archive(string url, string message)
    {
        Check(Complete with { Python = Complete.Python with { CpythonUrl = url } }, ReleaseStage.FetchPython).Should().ContainSingle().Which.Should().Contain(message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/cpython.tar.gz")]
    [InlineData("http://localhost/cpython.tar.gz")]
    [InlineData("https://github.com/astral-sh/python-build-standalone/releases/download/20251014/cpython-3.12.12%2B20251014-aarch64-apple-darwin-install_only.tar.gz")]
    public void Accepts_https_and_plain_http_to_this_machine(string url)
    {
        Check(Complete with { Python = Complete.Python with { CpythonUrl = url } }, ReleaseStage.FetchPython).Should().BeEmpty();
    }

    [Fact]
    public void Names_each_missing_macOS_tool_with_the_step_that_needs_it()
    {
        var problems = Check(Complete, FullRelease, tools: new ToolLocator(_root.Path));

        problems.Should().HaveCount(5);
        problems.Should().Contain(x => x.StartsWith("cc was not found on PATH: install a C compiler") && x.EndsWith("(Bundle needs it)"));
        problems.Should().Contain(x => x.StartsWith("python3 was not found on PATH: install Python 3") && x.EndsWith("(Bundle needs it)"));
        problems.Should().Contain(x => x.StartsWith("codesign was not found on PATH") && x.EndsWith("(Sign needs it)"));
        problems.Should().Contain(x => x.StartsWith("xcrun was not found on PATH: install the Xcode command line tools"));
        problems.Should().Contain(x => x.StartsWith("ditto was not found on PATH"));
    }

    [Fact]
    public void Bundle_asks_for_the_compiler_it_is_told_to_use_and_for_patch_only_with_patches()
    {
        _root.Write("app/pyproject.toml", "");
        _root.Write("patches/fix.patch", "");
        var settings = Complete with { Bundle = Complete.Bundle with { Cc = "clang-99", AppSource = _root["app"], AppPatches = _root["patches"] } };

        var problems = Check(settings, ReleaseStage.Bundle, tools: new ToolLocator(_root.Path));
        var pyinstaller = Check(settings with { Bundle = settings.Bundle with { Variant = "pyinstaller", AppPatches = null } }, ReleaseStage.Bundle);

        problems.Should().HaveCount(3);
        problems.Should().Contain(x => x.StartsWith("python3 was not found on PATH"));
        problems.Should().Contain(x => x.StartsWith("clang-99 was not found on PATH") && x.EndsWith("(Bundle needs it)"));
        problems.Should().Contain(x => x.StartsWith("patch was not found on PATH: install patch"));
        pyinstaller.Should().BeEmpty("PyInstaller builds the executable itself, and there is nothing to patch");
    }

    [Fact]
    public void Verify_alone_needs_neither_signing_nor_notarization_settings()
    {
        var settings = new ReleaseSettings { RootDirectory = _root.Path, Version = "2.0.0b6" };

        Check(settings, ReleaseStage.Verify, tools: new ToolLocator(_root.Path)).Should().BeEmpty();
    }

    [Fact]
    public void A_bad_version_is_reported_with_the_other_problems()
    {
        var problems = Check(Complete with { Version = "v2.0.0", Signing = Complete.Signing with { SignId = null } }, FullRelease);

        problems.Should().HaveCount(2).And.Contain(x => x.Contains("drop the leading 'v'"));
    }

    [Fact]
    public void Checks_python_inputs_before_the_download_starts()
    {
        var settings = Complete with
        {
            Python = Complete.Python with { EmbeddedPython = _root["no-such-python"], CpythonUrl = "ftp://example.com/cpython.tar.gz", CpythonSha256 = "abc" },
        };

        var problems = Check(settings, ReleaseStage.FetchPython);

        problems.Should().HaveCount(3);
        problems.Should().Contain(x => x.Contains("EMBEDDED_PYTHON (--embedded-python)") && x.Contains("does not exist"));
        problems.Should().Contain(x => x.Contains("CPYTHON_URL (--cpython-url) must be an https URL"));
        problems.Should().Contain(x => x.Contains("CPYTHON_SHA256 (--cpython-sha256) must be 64 hexadecimal characters"));
    }

    [Theory]
    [InlineData("../evil", "mlxk2.cli", "APP_NAME")]
    [InlineData("msty mlx", "mlxk2.cli", "APP_NAME")]
    [InlineData("msty-mlx-studio", "mlxk2-cli", "APP_MODULE")]
    [InlineData("msty-mlx-studio", "mlxk2.", "APP_MODULE")]
    public void Rejects_app_names_and_modules_that_cannot_become_paths_or_imports(string appName, string module, string setting)
    {
        Check(Complete with { AppName = appName, Bundle = Complete.Bundle with { AppModule = module } }, ReleaseStage.Bundle).Should().ContainSingle().Which.Should().StartWith(setting);
    }

    [Fact]
    public void FetchPython_on_macOS_needs_xattr_and_codesign_to_prepare_the_interpreter()
    {
        var onMac = Check(Complete, ReleaseStage.FetchPython, tools: new ToolLocator(_root.Path), onMacOS: true);
        var onLinux = Check(Complete, ReleaseStage.FetchPython, tools: new ToolLocator(_root.Path), onMacOS: false);

        onMac.Should().HaveCount(2).And.Contain(x => x.StartsWith("xattr was not found") && x.EndsWith("(FetchPython needs it)"));
        onLinux.Should().BeEmpty();
    }

    [Fact]
    public void Bundle_needs_the_app_and_a_source_folder_wins_over_the_default_package()
    {
        Check(Complete with { Bundle = Complete.Bundle with { AppPackage = null } }, ReleaseStage.Bundle).Should().ContainSingle().Which.Should().Contain("APP_SOURCE (--app-source)").And.Contain("APP_PACKAGE (--app-package)");
        Check(Complete with { Bundle = Complete.Bundle with { AppSource = _root.Path } }, ReleaseStage.Bundle).Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void A_gzip_level_outside_zlibs_range_is_a_problem_for_Package(int level)
    {
        Check(Complete with { Package = Complete.Package with { GzipLevel = level } }, ReleaseStage.Package).Should().ContainSingle().Which.Should().StartWith($"GZIP_LEVEL (--gzip-level) is {level}");
        Check(Complete with { Package = Complete.Package with { GzipLevel = 9 } }, ReleaseStage.Package).Should().BeEmpty();
    }

    [Fact]
    public void An_unknown_licence_policy_is_a_problem_not_a_silent_warn()
    {
        Check(Complete with { Bundle = Complete.Bundle with { LicensePolicy = "fial" } }, ReleaseStage.Bundle).Should().ContainSingle().Which.Should().Be("LICENSE_POLICY (--license-policy) is 'fial': use warn or fail");
        Check(Complete with { Bundle = Complete.Bundle with { LicensePolicy = "FAIL" } }, ReleaseStage.Bundle).Should().BeEmpty();
    }

    [Fact]
    public void A_missing_Python_is_reported_with_the_other_problems()
    {
        File.Delete(_root["python/bin/python3"]);

        var problems = Check(Complete with { Signing = Complete.Signing with { SignId = null } }, FullRelease);

        problems.Should().HaveCount(2);
        problems.Should().Contain(x => x.StartsWith("No Python to bundle") && x.Contains("CPYTHON_URL (--cpython-url)") && x.Contains("EMBEDDED_PYTHON (--embedded-python)"));
        Check(Complete with { Python = Complete.Python with { CpythonUrl = "https://example.com/cpython.tar.gz" } }, FullRelease).Should().BeEmpty();
        Check(Complete, ReleaseStage.Verify).Should().BeEmpty();
    }

    [Fact]
    public void Bundle_checks_its_files_before_it_starts()
    {
        var settings = Complete with
        {
            Bundle = Complete.Bundle with { AppPackage = null, AppSource = _root["no-app"], AppPatches = _root["no-patches"], Requirements = _root["no-requirements.txt"], MlxWheel = _root["mlx.tar.gz"] },
        };

        var problems = Check(settings, ReleaseStage.Bundle);

        problems.Should().HaveCount(4);
        problems.Should().Contain(x => x.StartsWith("APP_SOURCE") && x.Contains("not a folder"));
        problems.Should().Contain(x => x.StartsWith("APP_PATCHES"));
        problems.Should().Contain(x => x.StartsWith("REQUIREMENTS") && x.Contains("does not exist"));
        problems.Should().Contain(x => x.StartsWith("MLX_WHEEL") && x.Contains(".whl"));
    }

    [Fact]
    public void Patches_need_a_source_to_patch()
    {
        Directory.CreateDirectory(_root["patches"]);

        Check(Complete with { Bundle = Complete.Bundle with { AppPatches = _root["patches"] } }, ReleaseStage.Bundle).Should().ContainSingle().Which.Should().Contain("needs APP_SOURCE");
    }

    [Fact]
    public void The_CI_certificate_and_its_password_go_together()
    {
        Check(Complete with { Certificate = Complete.Certificate with { MacosCertP12 = "cDEy" } }, ReleaseStage.Sign).Should().ContainSingle().Which.Should().Contain("MACOS_CERT_PASSWORD");
        Check(Complete with { Certificate = Complete.Certificate with { MacosCertP12 = "cDEy", MacosCertPassword = "pw" } }, ReleaseStage.Sign).Should().BeEmpty();
    }

    [Fact]
    public void Verify_on_macOS_needs_Gatekeeper_and_codesign_up_front()
    {
        var problems = Check(Complete, ReleaseStage.Verify, tools: new ToolLocator(_root.Path), onMacOS: true);

        problems.Should().HaveCount(3).And.OnlyContain(x => x.EndsWith("(Verify needs it)"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Sign_parallelism_must_be_a_sensible_number_of_processes(int parallelism)
    {
        Check(Complete with { Signing = Complete.Signing with { SignParallelism = parallelism } }, ReleaseStage.Sign).Should().ContainSingle().Which.Should().StartWith("SIGN_PARALLELISM");
    }

    [Fact]
    public void Skip_notarize_is_announced_as_a_warning_before_the_steps_start()
    {
        using var log = LogCapture.Start();

        new ReleasePipeline(Complete with { Notary = Complete.Notary with { SkipNotarize = true } }, new ToolRunner(new SecretMasker(), _macTools.SearchPath)).CheckSettings(FullRelease, uploadRequested: false);

        log.Events.Should().Contain(x => x.Level == Serilog.Events.LogEventLevel.Warning && x.RenderMessage().Contains("will NOT notarize"));
    }

    [Fact]
    public void An_API_key_or_a_keychain_profile_replaces_the_Apple_ID()
    {
        var key = _root.Write("AuthKey_ABCDE12345.p8", "-----BEGIN PRIVATE KEY-----\n");
        var noAppleId = Complete with { Notary = Complete.Notary with { AppleId = null, AppleTeamId = null, AppleAppSpecificPassword = null } };

        Check(noAppleId with { Notary = noAppleId.Notary with { NotaryKey = key, NotaryKeyId = "ABCDE12345" } }, FullRelease).Should().BeEmpty();
        Check(noAppleId with { Notary = noAppleId.Notary with { NotaryKeychainProfile = "msty-notary" } }, FullRelease).Should().BeEmpty();
        Check(noAppleId with { Notary = noAppleId.Notary with { NotaryKeyId = "ABCDE12345", NotaryIssuer = "69a6de70-03db-47e3-e053-5b8c7c11a4d1" } }, FullRelease)
            .Should().ContainSingle().Which.Should().Be("NOTARY_KEY_ID and NOTARY_ISSUER set but NOTARY_KEY (--notary-key) missing: the App Store Connect API key credentials need all of them");
        Check(noAppleId with { Notary = noAppleId.Notary with { NotaryKey = _root["missing.p8"], NotaryKeyId = "ABCDE12345" } }, FullRelease)
            .Should().ContainSingle().Which.Should().Contain("neither an existing .p8 file nor the key itself");
    }

    [Fact]
    public void Notary_timeout_and_submission_id_are_checked_before_anything_runs()
    {
        var problems = Check(Complete with { Notary = Complete.Notary with { NotaryTimeout = "two hours", NotarySubmissionId = "12345" } }, FullRelease);

        problems.Should().HaveCount(2);
        problems.Should().Contain(x => x.StartsWith("NOTARY_TIMEOUT (--notary-timeout) is 'two hours': use a duration notarytool understands"));
        problems.Should().Contain(x => x.StartsWith("NOTARY_SUBMISSION_ID (--notary-submission-id) is '12345'"));
        Check(Complete with { Notary = Complete.Notary with { NotaryTimeout = "90m" } }, FullRelease).Should().BeEmpty();
    }

    [Fact]
    public void A_certificate_to_import_must_be_base64_name_its_identity_and_find_security()
    {
        var problems = Check(Complete with { Certificate = Complete.Certificate with { MacosCertP12 = "not base64!", MacosCertPassword = "pw" }, Signing = Complete.Signing with { SignId = "-" }, Notary = Complete.Notary with { SkipNotarize = true } },
            FullRelease | ReleaseStage.ImportCertificate);

        problems.Should().HaveCount(3);
        problems.Should().Contain(x => x.StartsWith("MACOS_CERT_P12 (--macos-cert-p12) is not base64"));
        problems.Should().Contain(x => x.Contains("SIGN_ID (--sign-id) must name its Developer ID identity"));
        problems.Should().Contain(x => x.StartsWith("security was not found") && x.Contains("ImportCertificate"));
    }

    [Fact]
    public void Missing_entitlements_file_is_reported()
    {
        Check(Complete with { Signing = Complete.Signing with { Entitlements = _root["extra.plist"] } }, ReleaseStage.Sign).Should().ContainSingle().Which.Should().Contain("ENTITLEMENTS");
    }
}
