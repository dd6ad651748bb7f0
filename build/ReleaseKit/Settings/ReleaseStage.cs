namespace ReleaseKit.Settings;

/// <summary>The stages a run is about to run; the settings check asks only for what they need.</summary>
[Flags]
public enum ReleaseStage
{
    None = 0,
    FetchPython = 1 << 0,
    Bundle = 1 << 1,
    Sign = 1 << 2,
    Notarize = 1 << 3,
    Package = 1 << 4,
    Upload = 1 << 5,
    Verify = 1 << 6,
    ImportCertificate = 1 << 7,
    Promote = 1 << 8,
}
