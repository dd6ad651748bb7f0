namespace ReleaseKit.Bundling;

/// <summary>What goes into the bundle and how it is built, as typed (--variant, --app-source, --pip-args, ...).</summary>
public sealed record BundleParameters
{
    /// <summary>external or pyinstaller, null for external; text, because NUKE would turn an unknown enum into a warning and the default.</summary>
    public string? Variant { get; init; }

    /// <summary>null: <see cref="BundleOptions.DefaultAppModule"/>.</summary>
    public string? AppModule { get; init; }
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

    /// <summary>warn or fail, null for warn; text for the same reason as the variant.</summary>
    public string? LicensePolicy { get; init; }
    public string? Cc { get; init; }
}
