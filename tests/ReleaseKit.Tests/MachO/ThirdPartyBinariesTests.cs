using ReleaseKit.MachO;
using ReleaseKit.Tests.Support;

namespace ReleaseKit.Tests.MachO;

/// <summary>Real darwin binaries from npm and NuGet (fetched by .ci/run into tests/fixtures/), signed by their vendors' own tools.</summary>
public class ThirdPartyBinariesTests : IDisposable
{
    private readonly TempDirectory _bundle = new("third-party");

    public void Dispose() => _bundle.Dispose();

    private static string Fixture(string relative, string registry = "npm")
    {
        var path = ProjectRoot.File(Path.Combine("tests/fixtures", registry, relative));
        File.Exists(path).Should().BeTrue($"{relative} comes from {registry}: run .ci/run to fetch the fixtures");
        return path;
    }

    private static string HarfBuzz => Fixture("harfbuzzsharp.nativeassets.macos-14.4.0.101/runtimes/osx/native/libHarfBuzzSharp.dylib", "nuget");

    private static string SentryCli => Fixture("sentry-cli-darwin-3.8.0/package/bin/sentry-cli");

    private static string Swc => Fixture("swc-core-darwin-arm64-1.16.22/package/swc.darwin-arm64.node");

    private static string FsEvents => Fixture("fsevents-2.3.3/package/fsevents.node");

    private static string Esbuild => Fixture("esbuild-darwin-arm64-0.28.2/package/bin/esbuild");

    [Fact]
    public void Reads_a_Developer_ID_signature_with_hardened_runtime_entitlements_and_a_timestamp()
    {
        var file = MachOReader.Read(SentryCli);

        file.IsUniversal.Should().BeTrue();
        file.Slices.Select(x => x.Architecture).Should().BeEquivalentTo(["x86_64", "arm64"]);
        foreach (var signature in file.Slices.Select(x => x.Signature!))
        {
            signature.TeamId.Should().Be("97JCY7859U");
            signature.HasHardenedRuntime.Should().BeTrue();
            signature.IsAdHoc.Should().BeFalse();
            signature.HasCms.Should().BeTrue();
            signature.CmsHasSigningTime.Should().BeTrue();
            signature.CmsHasTimestamp.Should().BeTrue();
            signature.Entitlements.Should().Contain("<plist");
            signature.PagesMatch.Should().BeTrue("codesign's own page hashes must verify");
            signature.Certificate!.Kind.Should().Be(CertificateKind.DeveloperIdApplication, "the leaf of Apple's CMS blob carries the Developer ID Application marker");
            signature.Certificate.TeamId.Should().Be("97JCY7859U");
            signature.Certificate.CommonName.Should().StartWith("Developer ID Application: ");
        }
    }

    [Fact]
    public void Reads_a_universal_dylib_from_NuGet_signed_by_its_vendor()
    {
        var file = MachOReader.Read(HarfBuzz);

        file.IsUniversal.Should().BeTrue();
        file.Slices.Select(x => x.Architecture).Should().BeEquivalentTo(["x86_64", "arm64"]);
        MachOScanner.Classify(HarfBuzz).Should().Be(CodeKind.Image);
        foreach (var slice in file.Slices)
        {
            slice.FileTypeName.Should().Be("dylib");
            slice.Signature!.PagesMatch.Should().BeTrue();
            slice.MinimumOs.Should().NotBeNull();
            slice.Signature.Certificate.Should().Be(new SigningCertificate(CertificateKind.DeveloperIdApplication, "UBF8T346G9",
                "Developer ID Application: Microsoft Corporation (UBF8T346G9)"));
        }
    }

    [Fact]
    public void Reads_codesigns_ad_hoc_signature_with_an_empty_CMS_blob()
    {
        var signature = MachOReader.Read(Swc).Slices.Single().Signature!;

        signature.IsAdHoc.Should().BeTrue();
        signature.IsLinkerSigned.Should().BeFalse();
        signature.HasCms.Should().BeFalse("codesign -s - writes an empty CMS blob");
    }

    [Fact]
    public void Reads_a_universal_bundle_whose_intel_slice_is_unsigned()
    {
        var file = MachOReader.Read(FsEvents);

        file.Slices.Single(x => x.Architecture == "x86_64").Signature.Should().BeNull();
        file.Slices.Single(x => x.Architecture == "arm64").Signature!.IsLinkerSigned.Should().BeTrue();
        file.Slices.Should().OnlyContain(x => x.FileTypeName == "bundle");
    }

    [Fact]
    public void Reads_a_linker_signed_Go_executable()
    {
        var signature = MachOReader.Read(Esbuild).Slices.Single().Signature!;

        signature.IsLinkerSigned.Should().BeTrue();
        signature.Identifier.Should().Be("a.out");
    }

    [Fact]
    public void A_notarizable_binary_passes_the_release_preflight_and_the_others_do_not()
    {
        File.Copy(SentryCli, _bundle["msty-mlx-studio"]);
        File.Copy(Swc, _bundle["swc.node"]);
        File.Copy(FsEvents, _bundle["fsevents.node"]);

        var report = Preflight.Run(_bundle.Path, PreflightMode.Release, libraryValidation: true, ["msty-mlx-studio"]);

        var problems = report.Findings.Select(x => $"{x.File} {x.Architecture}: {x.Problem}").ToArray();
        problems.Should().NotContain(x => x.StartsWith("msty-mlx-studio "));
        problems.Should().Contain("swc.node arm64: only ad-hoc signed");
        problems.Should().Contain("fsevents.node x86_64: not signed");
        problems.Should().Contain(x => x.StartsWith("swc.node -: signed by team (ad-hoc), not 97JCY7859U"));
        report.Passed.Should().BeFalse();
    }
}
