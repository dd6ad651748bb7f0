using System.Runtime.Versioning;

// The release runs on macOS (and its tests on Linux): file modes, symlinks and POSIX signals are part of the job.
[assembly: UnsupportedOSPlatform("windows")]
