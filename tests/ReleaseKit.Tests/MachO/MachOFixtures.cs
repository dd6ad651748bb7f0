using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.MachO;

/// <summary>
/// Real Mach-O files built here with the distribution's clang and lld (any version; .ci/run
/// installs them, <see cref="LlvmTools"/> finds them): ld64.lld ad-hoc signs arm64 output itself
/// (adhoc | linker-signed), unless told -no_adhoc_codesign. Built once per test run and shared by
/// every class that asks for them (tests copy what they change), removed when the run ends.
/// </summary>
public sealed class MachOFixtures : IDisposable
{
    private static readonly Lazy<TempDirectory> Built = new(() =>
    {
        var directory = new TempDirectory("macho");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => directory.Dispose();
        Build(directory);
        return directory;
    });

    private static readonly Lazy<(string Clang, string Linker, string Lipo, string Archiver)> Tools =
        new(() => (LlvmTools.Find("clang"), LlvmTools.Find("ld64.lld"), LlvmTools.Find("llvm-lipo"), LlvmTools.Find("llvm-ar")));

    private readonly TempDirectory _directory = Built.Value;

    private static void Build(TempDirectory _directory)
    {
        string Path(string name) => _directory[name];
        void Compile(string target, string source, string output) =>
            Shell.RunIn(_directory.Path, Tools.Value.Clang, "-target", target, "-c", source, "-o", output);
        void Link(string architecture, string minimum, string sdk, params string[] arguments) =>
            Shell.RunIn(_directory.Path, Tools.Value.Linker, ["-arch", architecture, "-platform_version", "macos", minimum, sdk, .. arguments]);

        File.WriteAllText(Path("lib.c"), "int answer(void) { return 42; }\n");
        File.WriteAllText(Path("main.c"), "int start(void) { return 0; }\n");
        Compile("arm64-apple-macos11", "lib.c", "lib-arm64.o");
        Compile("arm64-apple-macos11", "main.c", "main-arm64.o");
        Compile("x86_64-apple-macos10.15", "lib.c", "lib-x86_64.o");

        Link("arm64", "11.0", "13.0", "-dylib", "-install_name", "@rpath/liba.dylib", "-o", "liba.dylib", "lib-arm64.o");
        Link("arm64", "11.0", "13.0", "-e", "_start", "-rpath", "@loader_path/../lib", "-rpath", "/opt/homebrew/lib", "-o", "app", "main-arm64.o", "liba.dylib");
        Link("arm64", "11.0", "13.0", "-e", "_start", "-rpath", "@executable_path/_vendor", "-o", "launcher", "main-arm64.o");
        Link("arm64", "11.0", "13.0", "-dylib", "-no_adhoc_codesign", "-install_name", "@rpath/unsigned.dylib", "-o", "unsigned.dylib", "lib-arm64.o");
        Link("arm64", "11.0", "13.0", "-dylib", "-install_name", "/usr/local/lib/libabsolute.dylib", "-o", "absolute.dylib", "lib-arm64.o");
        Link("arm64", "10.8", "10.8", "-dylib", "-o", "old-sdk.dylib", "lib-arm64.o");
        Link("arm64", "11.0", "13.0", "-bundle", "-o", "plugin.so", "lib-arm64.o");
        Link("x86_64", "10.15", "13.0", "-dylib", "-install_name", "@rpath/liba.dylib", "-o", "liba-x86_64.dylib", "lib-x86_64.o");
        Shell.Run(Tools.Value.Lipo, "-create", Path("liba.dylib"), Path("liba-x86_64.dylib"), "-output", Path("liba-universal.dylib"));
        Link("arm64", "15.0", "15.0", "-dylib", "-install_name", "@rpath/libnew.dylib", "-o", "macos15.dylib", "lib-arm64.o");

        // Static libraries, thin and universal (a fat header around ar archives, as NuGet's native-asset packages ship them).
        Shell.RunIn(_directory.Path, Tools.Value.Archiver, "rcs", "libstatic-arm64.a", "lib-arm64.o");
        Shell.RunIn(_directory.Path, Tools.Value.Archiver, "rcs", "libstatic-x86_64.a", "lib-x86_64.o");
        Shell.Run(Tools.Value.Lipo, "-create", Path("libstatic-arm64.a"), Path("libstatic-x86_64.a"), "-output", Path("libstatic-universal.a"));
    }

    public string this[string name] => _directory[name];

    public string[] All => ["app", "launcher", "liba.dylib", "unsigned.dylib", "absolute.dylib", "old-sdk.dylib", "plugin.so", "liba-x86_64.dylib", "liba-universal.dylib", "lib-arm64.o", "macos15.dylib", "libstatic-arm64.a", "libstatic-universal.a"];

    /// <summary>Copies a fixture into a bundle under test, creating its folders.</summary>
    public void Place(string fixture, string bundle, string relative)
    {
        var target = Path.Combine(bundle, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(this[fixture], target);
    }

    /// <summary>
    /// The Mach-O files of an external bundle: the launcher, python3.12 with its python3 link,
    /// libpython, one extension, libmlx (<paramref name="libmlx"/>), and a Python file beside it.
    /// </summary>
    public void PlaceBundle(string bundle, string libmlx = "liba.dylib")
    {
        Place("launcher", bundle, "msty-mlx-studio");
        Place("launcher", bundle, "python/bin/python3.12");
        TreeBuilder.Symlink(bundle, "python/bin/python3", "python3.12");
        Place("liba.dylib", bundle, "python/lib/libpython3.12.dylib");
        Place("plugin.so", bundle, "python/lib/python3.12/lib-dynload/_ssl.cpython-312-darwin.so");
        Place(libmlx, bundle, "_vendor/mlx/lib/libmlx.dylib");
        TreeBuilder.File(bundle, "_vendor/mlx/__init__.py", "# not Mach-O", TreeBuilder.Regular);
    }

    /// <summary>The shared files outlive each class; the run removes them when it ends.</summary>
    public void Dispose()
    {
    }
}
