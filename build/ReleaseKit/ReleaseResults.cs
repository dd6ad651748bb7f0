using ReleaseKit.Bundling;
using ReleaseKit.Inventory;
using ReleaseKit.Notarization;
using ReleaseKit.Packaging;
using ReleaseKit.Publishing;
using ReleaseKit.Python;

namespace ReleaseKit;

/// <summary>
/// What each stage produced in this run, handed to the stages after it and to the summary. A
/// stage run on its own (nuke Sign, nuke Verify) finds what it needs on disk instead.
/// </summary>
public sealed class ReleaseResults
{
    /// <summary>The Python chosen by FetchPython.</summary>
    public PythonInstallation? Python { get; internal set; }

    /// <summary>The bundle Bundle built.</summary>
    public BuiltBundle? Bundle { get; internal set; }

    /// <summary>What Bundle's licence policy found (copyleft, or no licence).</summary>
    public IReadOnlyList<LicensePolicy.Finding> LicenseReview { get; internal set; } = [];

    /// <summary>How many Mach-O files Sign signed.</summary>
    public int SignedFiles { get; internal set; }

    /// <summary>Apple's verdict; null when Notarize was skipped or has not run.</summary>
    public NotarizationResult? Notarization { get; internal set; }

    /// <summary>The tarball Package wrote.</summary>
    public PackageResult? Package { get; internal set; }

    /// <summary>The minisign key id Package signed the update with; null for an unsigned update.</summary>
    public string? UpdateKeyId { get; internal set; }

    /// <summary>The objects Upload put into R2.</summary>
    public IReadOnlyList<UploadedObject> Uploaded { get; internal set; } = [];

    /// <summary>The release channel Upload or Promote moved to this version; null when none moved.</summary>
    public string? Channel { get; internal set; }
}
