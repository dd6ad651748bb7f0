using System.Runtime.Versioning;

// Releases are built on macOS and tested on Linux; file modes, symlinks and signals are used freely.
[assembly: UnsupportedOSPlatform("windows")]
