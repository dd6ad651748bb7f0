using System.Text.Json;
using ReleaseKit.Settings;
using ReleaseKit.Tests.Support;
using ReleaseKit.Tooling;

namespace ReleaseKit.Tests.Bundling;

/// <summary>Bundle with real python3, real pip, a local wheelhouse and the real launcher.</summary>
[Trait("Category", TestTier.Slow)]
[Trait("Category", TestTier.HostPython)]
public class BundleTests : IDisposable
{
    private readonly TempDirectory _temp = new("bundle");
    private readonly FakeTools _fakes = new();

    public BundleTests()
    {
        Wheelhouse.Build(Wheels);
        File.WriteAllText(Path.Combine(Root, "package.json"), """{ "version": "2.0.0b6" }""");
        File.WriteAllText(Path.Combine(Root, "requirements.txt"), "# runtime\nmlx>=0.30.0rc1\nmlx-lm~=0.28.0\n");
        File.WriteAllText(Path.Combine(Root, "LICENSE"), "MIT\n");
        Directory.CreateDirectory(Path.Combine(Root, "launcher"));
        File.Copy(ProjectRoot.File("launcher/launcher.c"), Path.Combine(Root, "launcher", "launcher.c"));
    }

    public void Dispose()
    {
        _temp.Dispose();
        _fakes.Dispose();
    }

    private string Root => Directory.CreateDirectory(_temp["project"]).FullName;

    private string Wheels => _temp["wheels"];

    private string Bundle => Path.Combine(Root, "dist-ext-python", "msty-mlx-studio");

    private async Task<ReleaseSettings> Settings(Func<ReleaseSettings, ReleaseSettings>? change = null)
    {
        var python = _temp["embedded-python"];
        if (!Directory.Exists(python))
            await HostPythonTree.BuildAsync(python);
        var settings = new ReleaseSettings
        {
            RootDirectory = Root,
            Python = new() { EmbeddedPython = python, AllowForeignPython = true },
            Bundle = new() { AppPackage = "mlx-knife==2.0.4", PipArgs = $"--no-index --find-links {Wheels}" },
        };
        return change?.Invoke(settings) ?? settings;
    }

    private ReleasePipeline Steps(ReleaseSettings settings) => new(settings, _fakes.Runner()) { PrepareOnMacOS = false };

    private async Task<string> RunLauncher(params string[] arguments)
    {
        var result = await new ToolRunner(new SecretMasker()).RunAsync(new ToolCommand(Path.Combine(Bundle, "msty-mlx-studio"), arguments));
        return result.StandardOutput.Trim();
    }

    [Fact]
    public async Task Builds_the_external_bundle_with_the_bundled_pythons_pip_and_runs_the_app()
    {
        using var log = LogCapture.Start();

        await Steps(await Settings()).BundleAsync();

        new FileInfo(Path.Combine(Bundle, "python", "bin", "python3")).LinkTarget.Should().StartWith("python3.", "symlinks are kept");
        File.Exists(Path.Combine(Bundle, "_vendor", "mlx", "lib", "libmlx.dylib")).Should().BeTrue();
        Directory.Exists(Path.Combine(Bundle, "_vendor", "mlx_knife-2.0.4.dist-info")).Should().BeTrue();
        File.ReadAllText(Path.Combine(Bundle, "LICENSE")).Should().Be("MIT\n");
        File.GetUnixFileMode(Path.Combine(Bundle, "msty-mlx-studio")).Should().HaveFlag(UnixFileMode.UserExecute);
        (await RunLauncher("--version")).Should().Be("mlxk2 2.0.4");
        var compiled = Directory.GetFiles(Path.Combine(Bundle, "_vendor"), "*.pyc", SearchOption.AllDirectories);
        compiled.Should().NotBeEmpty().And.OnlyContain(x => PycFlags(x) == 1, "unchecked-hash pycs survive Package's fixed modification times (PEP 552 flags)");
        log.Messages.Should().Contain(x => x.StartsWith("mlx ") && x.Contains("0.30.0rc1") && x.Contains(">=0.30.0rc1") && x.EndsWith("ok"));
        log.Messages.Should().Contain(x => x.StartsWith("mlx-lm ") && x.Contains("0.28.3") && x.Contains("~=0.28.0"));
        Directory.GetFileSystemEntries(Path.Combine(Root, "dist-ext-python")).Should().Equal(Bundle);
    }

    [Fact]
    public async Task Vendors_through_macOS_wheels_when_asked_and_the_app_still_runs()
    {
        await Steps(await Settings(s => s with { Bundle = s.Bundle with { VendorViaWheels = true } })).BundleAsync();

        File.Exists(Path.Combine(Bundle, "_vendor", "mlx", "lib", "libmlx.dylib")).Should().BeTrue();
        Directory.GetFiles(Path.Combine(Bundle, "_vendor"), "*.pyc", SearchOption.AllDirectories).Should().BeEmpty("wheels are unpacked, not installed by a python");
        (await RunLauncher("serve", "--port", "0")).Should().Be("mlxk2 args serve --port 0");
    }

    [Fact]
    public async Task Switches_to_wheels_by_itself_when_the_bundled_python_cannot_run_here()
    {
        var python = TreeBuilder.MacOsPython(_temp["macos-python"]);
        using var log = LogCapture.Start();

        await Steps(await Settings(s => s with { Python = s.Python with { EmbeddedPython = python, AllowForeignPython = false } })).BundleAsync();

        log.Messages.Should().Contain(x => x.Contains("--platform macosx_14_0_arm64") && x.Contains("--python-version 3.12") && x.Contains("--implementation cp"));
        File.Exists(Path.Combine(Bundle, "_vendor", "mlx", "lib", "libmlx.dylib")).Should().BeTrue();
        Directory.Exists(Path.Combine(Bundle, "_vendor", "mlx_knife-2.0.4.dist-info")).Should().BeTrue();
    }

    [Theory]
    [InlineData(null, "built for macOS 14")]
    [InlineData("26", "built for macOS 26")]
    public async Task Takes_the_wheel_for_the_oldest_supported_macOS_when_a_package_has_one_per_macOS(string? minimum, string expected)
    {
        // As mlx publishes them: one wheel per macOS. pip on a macOS 26 build machine would take the newest.
        File.Delete(Directory.GetFiles(Wheels, "mlx-0.30.0rc1-*.whl").Single());
        foreach (var macOs in new[] { "14", "26" })
        {
            WheelBuilder.Build(Wheels, "mlx", "0.30.0rc1", new Dictionary<string, string>
            {
                ["mlx/__init__.py"] = "__version__ = \"0.30.0rc1\"\n",
                ["mlx/lib/libmlx.dylib"] = $"built for macOS {macOs}",
            }, tag: $"py3-none-macosx_{macOs}_0_arm64");
        }

        await Steps(await Settings(s => s with { MacosMin = minimum })).BundleAsync();

        File.ReadAllText(Path.Combine(Bundle, "_vendor", "mlx", "lib", "libmlx.dylib")).Should().Be(expected);
    }

    [Fact]
    public async Task A_custom_mlx_wheel_replaces_the_requirement()
    {
        var custom = Wheelhouse.Mlx(_temp["custom"], "0.31.0.dev1");
        using var log = LogCapture.Start();

        await Steps(await Settings(s => s with { Bundle = s.Bundle with { MlxWheel = custom } })).BundleAsync();

        File.ReadAllText(Path.Combine(Bundle, "_vendor", "mlx", "__init__.py")).Should().Contain("0.31.0.dev1");
        log.Messages.Should().Contain(x => x.StartsWith("mlx ") && x.Contains("==0.31.0.dev1") && x.EndsWith("ok"));
    }

    [Fact]
    public async Task A_failed_version_report_leaves_no_bundle_at_all()
    {
        Directory.CreateDirectory(Bundle);
        File.WriteAllText(Path.Combine(Bundle, "stale"), "from the last run");

        var act = async () => await Steps(await Settings(s => s with { Bundle = s.Bundle with { ReportPackages = "numpy" } })).BundleAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().Contain("numpy -: missing");
        Directory.GetFileSystemEntries(Path.Combine(Root, "dist-ext-python")).Should().BeEmpty("no half bundle, no staging folder, no stale bundle");
    }

    [Fact]
    public async Task Patches_and_the_version_go_into_a_copy_of_the_app_source_only()
    {
        var source = _temp["app"];
        WriteAppProject(source);
        var before = TreeBuilder.Describe(source);
        var patches = Directory.CreateDirectory(_temp["patches"]).FullName;
        File.WriteAllText(Path.Combine(patches, "0001-greeting.patch"), """
            --- a/mlxk2/cli.py
            +++ b/mlxk2/cli.py
            @@ -1,2 +1,2 @@
             import sys
            -print("unpatched", *sys.argv[1:])
            +print("patched", *sys.argv[1:])

            """);
        using var log = LogCapture.Start();

        await Steps(await Settings(s => s with { Bundle = s.Bundle with { AppPackage = null, AppSource = source, AppPatches = patches } })).BundleAsync();

        (await RunLauncher("x")).Should().Be("patched x");
        File.ReadAllText(Path.Combine(Bundle, "_vendor", "mlxk2", "__init__.py")).Should().Be("__version__ = \"2.0.0b6\"\n");
        TreeBuilder.Describe(source).Should().Equal(before, "the user's checkout is never modified");
        Directory.Exists(Path.Combine(Root, ".nuke", "temp", "app-source")).Should().BeFalse();
    }

    [Fact]
    public async Task An_app_source_linking_outside_itself_is_refused_and_the_other_checkout_is_never_stamped()
    {
        var source = _temp["app"];
        WriteAppProject(source);
        var other = _temp.Write("other-checkout/shared/__init__.py", "__version__ = \"0.1.0\"\n");
        File.CreateSymbolicLink(Path.Combine(source, "shared"), Path.GetDirectoryName(other)!);
        File.CreateSymbolicLink(Path.Combine(source, "mlxk2", "_version.py"), "../../other-checkout/shared/__init__.py");

        var act = async () => await Steps(await Settings(s => s with { Bundle = s.Bundle with { AppPackage = null, AppSource = source } })).BundleAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().StartWith($"--app-source {source} has 2 link(s) that point outside it")
            .And.Contain("shared -> ").And.Contain("mlxk2/_version.py -> ../../other-checkout/shared/__init__.py");
        File.ReadAllText(other).Should().Be("__version__ = \"0.1.0\"\n");
        Directory.Exists(Bundle).Should().BeFalse();
    }

    [Fact]
    public async Task An_embedded_python_with_a_link_to_the_build_machine_is_refused_before_anything_ships()
    {
        var settings = await Settings();
        var python = settings.Python.EmbeddedPython!;
        var site = Directory.GetDirectories(Path.Combine(python, "lib"), "python3*").Single();
        File.CreateSymbolicLink(Path.Combine(site, "vendor_config.py"), "/etc/python3/vendor_config.py");

        var act = async () => await Steps(settings).BundleAsync();

        (await act.Should().ThrowAsync<ReleaseException>()).Which.Message.Should().StartWith($"The python to bundle ({python}) has 1 link(s) that point outside it")
            .And.Contain("vendor_config.py -> /etc/python3/vendor_config.py");
        Directory.GetFileSystemEntries(Path.Combine(Root, "dist-ext-python")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_version_file_linked_inside_the_app_source_is_stamped_once_and_stays_a_link()
    {
        var source = _temp["app"];
        WriteAppProject(source);
        File.CreateSymbolicLink(Path.Combine(source, "mlxk2", "_version.py"), "__init__.py");
        var before = TreeBuilder.Describe(source);

        await Steps(await Settings(s => s with { Bundle = s.Bundle with { AppPackage = null, AppSource = source } })).BundleAsync();

        TreeBuilder.Describe(source).Should().Equal(before, "the user's checkout is never modified");
        File.ReadAllText(Path.Combine(Bundle, "_vendor", "mlxk2", "__init__.py")).Should().Be("__version__ = \"2.0.0b6\"\n");
    }

    [Fact]
    public async Task A_patch_that_does_not_apply_fails_with_patchs_message()
    {
        var source = _temp["app"];
        WriteAppProject(source);
        var patches = Directory.CreateDirectory(_temp["patches"]).FullName;
        File.WriteAllText(Path.Combine(patches, "0001-wrong.patch"), "--- a/mlxk2/missing.py\n+++ b/mlxk2/missing.py\n@@ -1 +1 @@\n-a\n+b\n");

        var act = async () => await Steps(await Settings(s => s with { Bundle = s.Bundle with { AppPackage = null, AppSource = source, AppPatches = patches } })).BundleAsync();

        await act.Should().ThrowAsync<ToolFailedException>().WithMessage("patch failed*");
        Directory.Exists(Bundle).Should().BeFalse();
    }

    [Fact]
    public async Task Builds_the_pyinstaller_variant_in_a_virtualenv_made_with_the_resolved_python()
    {
        await Steps(await Settings(s => s with { Bundle = s.Bundle with { Variant = "pyinstaller" } })).BundleAsync();

        var dist = Path.Combine(Root, "dist", "msty-mlx-studio");
        File.Exists(Path.Combine(dist, "_internal", "mlx", "lib", "libmlx.dylib")).Should().BeTrue();
        File.Exists(Path.Combine(dist, "msty-mlx-studio")).Should().BeTrue();
        var argv = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(dist, "_internal", "pyinstaller-argv.json")))!;
        argv.Should().ContainInOrder("--noconfirm", "--clean", "--onedir", "--name", "msty-mlx-studio");
        argv.Should().ContainInConsecutiveOrder("--collect-all", "pydantic_core");
        argv.Should().ContainInConsecutiveOrder("--collect-binaries", "mlx");
        argv.Should().ContainInConsecutiveOrder("--hidden-import", "mlxk2.cli");
        argv.Should().ContainInConsecutiveOrder("--copy-metadata", "mlx-lm");
        argv[^1].Should().EndWith("entry.py");
        Directory.GetDirectories(Path.Combine(Root, "dist"), ".*").Should().BeEmpty("the build virtualenv is removed");
    }

    [Fact]
    public async Task The_pyinstaller_variant_needs_a_python_that_runs_here()
    {
        var python = TreeBuilder.MacOsPython(_temp["macos-python"]);

        var act = async () => await Steps(await Settings(s => s with { Bundle = s.Bundle with { Variant = "pyinstaller" }, Python = s.Python with { EmbeddedPython = python } })).BundleAsync();

        await act.Should().ThrowAsync<ReleaseException>().WithMessage("*cannot run on this machine*Apple Silicon Mac*--variant external*");
    }

    private static int PycFlags(string pyc)
    {
        var header = new byte[8];
        using var file = File.OpenRead(pyc);
        file.ReadExactly(header);
        return BitConverter.ToInt32(header, 4);
    }

    private static void WriteAppProject(string source)
    {
        // An in-tree PEP 517 backend: pip builds the app offline without setuptools or wheel.
        TreeBuilder.File(source, "pyproject.toml", """
            [build-system]
            requires = []
            build-backend = "backend"
            backend-path = ["_build"]

            [project]
            name = "mlx-knife"
            version = "2.0.4"
            """, TreeBuilder.Regular);
        TreeBuilder.File(source, "_build/backend.py", """
            import base64, hashlib, os, zipfile

            NAME, VERSION = "mlx_knife", "2.0.4"
            INFO = f"{NAME}-{VERSION}.dist-info"

            def _files():
                for folder, _, files in os.walk("mlxk2"):
                    for file in files:
                        if not file.endswith(".pyc"):
                            path = os.path.join(folder, file)
                            yield path, open(path, "rb").read()
                yield f"{INFO}/METADATA", f"Metadata-Version: 2.1\nName: mlx-knife\nVersion: {VERSION}\nRequires-Dist: mlx-lm\n".encode()
                yield f"{INFO}/WHEEL", b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"

            def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
                name = f"{NAME}-{VERSION}-py3-none-any.whl"
                record = []
                with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as wheel:
                    for path, data in _files():
                        wheel.writestr(path, data)
                        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                        record.append(f"{path},sha256={digest},{len(data)}")
                    record.append(f"{INFO}/RECORD,,")
                    wheel.writestr(f"{INFO}/RECORD", "\n".join(record) + "\n")
                return name
            """, TreeBuilder.Regular);
        TreeBuilder.File(source, "mlxk2/__init__.py", "__version__ = \"0.0.0-dev\"\n", TreeBuilder.Regular);
        TreeBuilder.File(source, "mlxk2/cli.py", "import sys\nprint(\"unpatched\", *sys.argv[1:])\n", TreeBuilder.Regular);
    }
}
