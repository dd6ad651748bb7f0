using ReleaseKit.Inventory;

namespace ReleaseKit.Bundling;

/// <summary>A finished bundle and the Python distributions it carries, read once for its notices and the licence policy.</summary>
public sealed record BuiltBundle(BundleLayout Layout, IReadOnlyList<PythonDistribution> Distributions);
