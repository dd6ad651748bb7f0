namespace ReleaseKit.Bundling;

/// <summary>What goes into the bundle and how it is built, as typed (--variant, --app-source, --pip-args, ...).</summary>
public sealed record BundleParameters
{
    public const string DefaultAppModule = "mlxk2.cli";

    /// <summary>external or pyinstaller; text, because NUKE would turn an unknown enum into a warning and the default.</summary>
    public string Variant { get; init; } = BundleVariant.External.Name();
    public string AppModule { get; init; } = DefaultAppModule;
    public string? Requirements { get; init; }
    public string? AppSource { get; init; }
    public string? AppPackage { get; init; }
    public string? AppPatches { get; init; }
    public string? MlxWheel { get; init; }
    public string? MlxLmWheel { get; init; }

    /// <summary>One string, split on whitespace as a shell would without quotes ("--no-index --find-links DIR").</summary>
    public string? PipArgs { get; init; }
    public bool VendorViaWheels { get; init; }

    /// <summary>Comma- or space-separated.</summary>
    public string? ReportPackages { get; init; }

    /// <summary>warn or fail; text for the same reason as the variant.</summary>
    public string LicensePolicy { get; init; } = "warn";
    public string? Cc { get; init; }
}
