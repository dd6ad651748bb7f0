using System.Collections.Generic;
using Nuke.Common;
using ReleaseKit.Bundling;
using ReleaseKit.Inventory;

partial class Build
{
    // Text with a value set, not the enum: NUKE would turn an unknown enum value into a warning and
    // the default variant; the settings check refuses it with the other problems instead.
    [Parameter("Bundle variant: external (python/ + _vendor/ + launcher, default) or pyinstaller", ValueProviderMember = nameof(VariantNames))]
    readonly string Variant;

    IEnumerable<string> VariantNames => BundleVariantNames.All;

    [Parameter($"Python module the launcher runs with -m. Default: {BundleOptions.DefaultAppModule}")]
    readonly string AppModule;

    [Parameter("requirements.txt of the app's runtime dependencies (default: ./requirements.txt)")]
    readonly string Requirements;

    [Parameter("The app as a local Python project to install into the bundle (copied; --app-patches apply to the copy); wins over --app-package")]
    readonly string AppSource;

    [Parameter("The app as a pip requirement, e.g. mlx-knife==2.0.4 (default in .nuke/parameters.json)")]
    readonly string AppPackage;

    [Parameter("Folder of *.patch files applied (patch -p1) to the copy of --app-source")]
    readonly string AppPatches;

    [Parameter("A custom mlx wheel that replaces the mlx line of requirements.txt")]
    readonly string MlxWheel;

    [Parameter("A custom mlx-lm wheel that replaces the mlx-lm line of requirements.txt")]
    readonly string MlxLmWheel;

    [Parameter("Extra pip arguments, e.g. '--no-index --find-links DIR'")]
    readonly string PipArgs;

    [Parameter("Vendor by downloading macOS arm64 wheels (automatic when the bundled python cannot run on this machine)")]
    readonly bool VendorViaWheels;

    [Parameter("More packages for the version report besides mlx and mlx-lm, comma-separated")]
    readonly string ReportPackages;

    [Parameter("What a copyleft (GPL, LGPL, AGPL) or undeclared licence among the bundled packages does: warn (the default; listed in the release summary) or fail",
        ValueProviderMember = nameof(LicensePolicyValues))]
    readonly string LicensePolicy;

    IEnumerable<string> LicensePolicyValues => LicensePolicyNames.All;

    [Parameter("C compiler for the launcher. Default: clang on macOS, cc elsewhere")]
    readonly string Cc;

    BundleParameters BundleParameters => new()
    {
        Variant = Variant,
        AppModule = AppModule,
        Requirements = Requirements,
        AppSource = AppSource,
        AppPackage = AppPackage,
        AppPatches = AppPatches,
        MlxWheel = MlxWheel,
        MlxLmWheel = MlxLmWheel,
        PipArgs = PipArgs,
        VendorViaWheels = VendorViaWheels,
        ReportPackages = ReportPackages,
        LicensePolicy = LicensePolicy,
        Cc = Cc,
    };

    Target Bundle => _ => _
        .Description("Build the bundle (external or pyinstaller variant) with the native launcher")
        .DependsOn(FetchPython)
        .Executes(() => Pipeline.BundleAsync());
}
