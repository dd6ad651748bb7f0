using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using SharpCompress.Compressors.ZStandard;
using ReleaseKit.Tooling;
using Serilog;

namespace ReleaseKit.Archives;

public sealed record ExtractionResult(int Files, int Directories, int SymbolicLinks, int HardLinks, long Bytes);

/// <summary>
/// What one archive may hold. A 10 MB gzip can expand to terabytes; the defaults are far above a
/// python-build-standalone tree (about 150 MB in 6,000 entries) or a release bundle.
/// </summary>
public sealed record ExtractionLimits(long MaxBytes = 16L << 30, int MaxEntries = 1_000_000, int MaxLinkSteps = 100_000)
{
    public static ExtractionLimits Default { get; } = new();
}

/// <summary>
/// Extracts .tar, .tar.gz and .tar.zst archives into a new folder, keeping symlinks, hard links,
/// permission bits and modification times, and refusing anything that would write outside it.
///
/// Extraction is file-system bound, so one thread decompresses and parses while several others
/// create files. Links are made only after every regular file exists, and each link is checked
/// by resolving it against the archive's own tree, so nothing is ever written through a link.
/// </summary>
public static partial class SafeExtractor
{
    private const int InlineWriteThreshold = 4 << 20;
    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;

    public static int DefaultWriters { get; } = Math.Clamp(Environment.ProcessorCount * 4, 4, 16);

    /// <param name="archive">The archive; its compression is read from its first bytes, not its name.</param>
    /// <param name="destination">A folder that must not exist yet; on any failure it is removed again.</param>
    /// <param name="foldsNames">Whether the destination's volume treats names differing in case or Unicode normalization as one; null probes it.</param>
    public static async Task<ExtractionResult> ExtractAsync(string archive, string destination, CancellationToken cancellationToken = default, int? writers = null,
        ExtractionLimits? limits = null, bool? foldsNames = null)
    {
        if (Directory.Exists(destination) || File.Exists(destination))
            throw new ReleaseException($"Cannot extract into {destination}: it already exists");

        Directory.CreateDirectory(destination);
        try
        {
            var comparer = foldsNames ?? NameFolding.Probe(destination) ? NameFolding.Comparer : StringComparer.Ordinal;
            var extraction = new Extraction(Path.GetFullPath(destination), writers ?? DefaultWriters, limits ?? ExtractionLimits.Default, comparer, cancellationToken);
            await using var input = AuditedTarStream.Open(archive);
            var result = await extraction.RunAsync(input, archive);
            Log.Debug("Extracted {Files} files, {Links} links from {Archive}", result.Files, result.SymbolicLinks + result.HardLinks, archive);
            return result;
        }
        catch (Exception exception) when (Undecodable(exception))
        {
            DeleteExtracted(destination);
            throw new ReleaseException($"{archive} cannot be read as a tar archive ({exception.GetType().Name}: {exception.Message}): it is damaged or truncated; download it again", exception);
        }
        catch
        {
            DeleteExtracted(destination);
            throw;
        }
    }

    // What the decompressors and the tar reader throw for damaged input, and the file system for names it cannot hold.
    private static bool Undecodable(Exception exception) =>
        exception is InvalidDataException or EndOfStreamException or FormatException or ZstdException or SharpCompress.Common.ArchiveException or ArgumentException or OverflowException
            or PathTooLongException or IOException { HResult: 36 or 63 };

    /// <summary>
    /// Removes an extracted tree, also one whose archive made folders read-only (their modes are
    /// kept), which a non-root user could not empty otherwise.
    /// </summary>
    public static void DeleteExtracted(string destination)
    {
        if (Directory.Exists(destination))
        {
            MakeWritable(destination);
            Directory.Delete(destination, recursive: true);
        }
    }

    /// <summary>Gives the owner write and search permission on every folder, so a read-only folder from an archive can be deleted.</summary>
    public static void MakeWritable(string directory)
    {
        foreach (var folder in new DirectoryInfo(directory).EnumerateDirectories("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false }).Prepend(new DirectoryInfo(directory)))
        {
            if ((folder.UnixFileMode & (UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead)) != (UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead))
                folder.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead;
        }
    }

    private sealed class Extraction(string root, int writerCount, ExtractionLimits limits, StringComparer names, CancellationToken cancellationToken)
    {
        private readonly HashSet<string> _paths = new(names);
        private readonly HashSet<string> _directories = new(names) { "" };
        private readonly HashSet<string> _files = new(names);
        private readonly Dictionary<string, string> _symbolicLinks = new(names);
        private readonly Dictionary<string, string?> _resolvedLinks = new(names);
        private readonly List<(string Path, string Target)> _hardLinks = [];
        private readonly List<(string Path, UnixFileMode Mode)> _directoryModes = [];
        private long _bytes;
        private int _entries;
        private int _linkSteps;

        public async Task<ExtractionResult> RunAsync(Stream input, string archive)
        {
            var jobs = Channel.CreateBounded<WriteJob>(new BoundedChannelOptions(writerCount * 8) { SingleReader = false, SingleWriter = true });
            using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var writers = Enumerable.Range(0, writerCount).Select(_ => Task.Run(async () =>
            {
                try
                {
                    await WriteFilesAsync(jobs.Reader, failure.Token);
                }
                catch
                {
                    // Unblocks the reader, which may be waiting for room in the channel.
                    await failure.CancelAsync();
                    throw;
                }
            })).ToArray();

            try
            {
                await ReadEntriesAsync(input, archive, jobs.Writer, failure.Token);
                jobs.Writer.Complete();
            }
            catch (Exception exception)
            {
                jobs.Writer.TryComplete(exception);
                await failure.CancelAsync();
                await Task.WhenAll(writers).ContinueWith(_ => { }, TaskScheduler.Default);
                var writerFailure = writers.Select(x => x.Exception?.InnerException).FirstOrDefault(x => x is not null and not OperationCanceledException);
                if (exception is OperationCanceledException && writerFailure is not null && !cancellationToken.IsCancellationRequested)
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(writerFailure);
                throw;
            }

            await Task.WhenAll(writers);
            if (input is AuditedTarStream audited)
                await audited.VerifyEndAsync(archive, cancellationToken);
            CreateLinks();

            // Last, so that a read-only folder in the archive did not stop its own files being written.
            foreach (var (path, mode) in _directoryModes.OrderByDescending(x => x.Path.Length))
                File.SetUnixFileMode(Path.Combine(root, path), mode);

            return new ExtractionResult(_files.Count, _directories.Count - 1, _symbolicLinks.Count, _hardLinks.Count, _bytes);
        }

        private async Task ReadEntriesAsync(Stream input, string archive, ChannelWriter<WriteJob> jobs, CancellationToken token)
        {
            var reader = new TarReader(input, leaveOpen: true);
            while (true)
            {
                token.ThrowIfCancellationRequested();
                TarEntry? entry;
                try
                {
                    entry = await reader.GetNextEntryAsync(copyData: false, token);
                }
                catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or FormatException or ZstdException)
                {
                    throw new ReleaseException($"{archive} is not a complete, valid tar archive ({exception.Message}): download it again", exception);
                }

                if (entry is null)
                    return;

                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                    continue;

                if (++_entries > limits.MaxEntries)
                    throw Unsafe(archive, $"it has more than {limits.MaxEntries:N0} entries");

                var path = NormalizeEntryName(entry.Name, archive);
                if (path.Length == 0 && entry.EntryType == TarEntryType.Directory)
                    continue;

                Claim(path, entry.EntryType == TarEntryType.Directory, archive);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        EnsureDirectory(path);
                        _directoryModes.Add((path, entry.Mode & PermissionBits));
                        break;

                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        EnsureDirectory(Parent(path));
                        _files.Add(path);
                        _bytes += entry.Length;
                        if (_bytes > limits.MaxBytes)
                            throw Unsafe(archive, $"it expands to more than {ByteSize.Format(limits.MaxBytes)}");
                        await QueueFileAsync(entry, path, jobs, token);
                        break;

                    case TarEntryType.SymbolicLink:
                        if (entry.LinkName.Length == 0 || entry.LinkName.StartsWith('/'))
                            throw Unsafe(archive, $"symlink {path} -> {entry.LinkName} points outside the archive");
                        _symbolicLinks[path] = entry.LinkName;
                        break;

                    case TarEntryType.HardLink:
                        var target = NormalizeEntryName(entry.LinkName, archive);
                        if (!_files.Contains(target))
                            throw Unsafe(archive, $"hard link {path} -> {entry.LinkName} does not point to a file earlier in the archive");
                        _hardLinks.Add((path, target));
                        break;

                    default:
                        throw Unsafe(archive, $"{path} is a {entry.EntryType} entry; only files, folders and links are extracted");
                }
            }
        }

        private async Task QueueFileAsync(TarEntry entry, string path, ChannelWriter<WriteJob> jobs, CancellationToken token)
        {
            var mode = entry.Mode & PermissionBits;
            var modified = entry.ModificationTime.UtcDateTime;

            // Big files are rare (libpython, a few wheels' .so); streaming them here keeps memory flat.
            if (entry.Length > InlineWriteThreshold || entry.DataStream is null)
            {
                await using var output = Create(path, mode);
                if (entry.DataStream is not null)
                    await entry.DataStream.CopyToAsync(output, token);
                Finish(output, mode, modified);
                return;
            }

            var length = (int)entry.Length;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            await entry.DataStream.ReadExactlyAsync(buffer.AsMemory(0, length), token);
            await jobs.WriteAsync(new WriteJob(path, buffer, length, mode, modified), token);
        }

        private async Task WriteFilesAsync(ChannelReader<WriteJob> jobs, CancellationToken token)
        {
            await foreach (var job in jobs.ReadAllAsync(token))
            {
                try
                {
                    await using var output = Create(job.Path, job.Mode);
                    await output.WriteAsync(job.Buffer.AsMemory(0, job.Length), token);
                    Finish(output, job.Mode, job.Modified);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(job.Buffer);
                }
            }
        }

        // The exact mode of the archive (the umask applied at creation may have cleared bits),
        // and its modification time, which python compares with the one stored in each .pyc.
        private static void Finish(FileStream output, UnixFileMode mode, DateTime modified)
        {
            File.SetUnixFileMode(output.SafeFileHandle, mode);
            File.SetLastWriteTimeUtc(output.SafeFileHandle, modified);
        }

        private FileStream Create(string path, UnixFileMode mode) =>
            new(Path.Combine(root, path), new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = mode | UnixFileMode.UserWrite,
                BufferSize = 0,
            });

        private void CreateLinks()
        {
            foreach (var (path, target) in _symbolicLinks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Resolve(path, depth: 0) is null)
                    throw Unsafe(null, $"symlink {path} -> {target} points outside the archive, or through a loop");
            }

            foreach (var (path, target) in _symbolicLinks)
            {
                EnsureDirectory(Parent(path));
                File.CreateSymbolicLink(Path.Combine(root, path), target);
            }

            foreach (var (path, target) in _hardLinks)
            {
                EnsureDirectory(Parent(path));
                if (link(Path.Combine(root, target), Path.Combine(root, path)) != 0)
                    throw new ReleaseException($"Cannot create hard link {path} -> {target}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }

        /// <summary>
        /// Resolves a path inside the archive's tree the way the kernel would, following the
        /// archive's own symlinks; null when it would leave the tree. Lexical ".." handling alone
        /// is not enough: with a -> .. inside sub/, "sub/a/../.." is above the root.
        /// </summary>
        /// <remarks>
        /// Each link's target is resolved once and remembered: links whose targets name other links
        /// through ".." chains would otherwise cost three times more per link. Like the kernel's
        /// ELOOP, the whole archive also has a budget of steps, and Ctrl-C is honoured throughout.
        /// </remarks>
        private string? Resolve(string path, int depth)
        {
            if (depth > 40)
                return null;
            if (++_linkSteps > limits.MaxLinkSteps)
                throw Unsafe(null, $"its symlinks take more than {limits.MaxLinkSteps:N0} steps to resolve");
            if ((_linkSteps & 0x3FF) == 0)
                cancellationToken.ThrowIfCancellationRequested();

            var resolved = new List<string>();
            foreach (var component in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (component == ".")
                    continue;
                if (component == "..")
                {
                    if (resolved.Count == 0)
                        return null;
                    resolved.RemoveAt(resolved.Count - 1);
                    continue;
                }

                resolved.Add(component);
                var current = string.Join('/', resolved);
                if (_symbolicLinks.TryGetValue(current, out var target))
                {
                    if (!_resolvedLinks.TryGetValue(current, out var through))
                    {
                        // Marked first, so a loop back to this link ends as unresolvable.
                        _resolvedLinks[current] = null;
                        var parent = string.Join('/', resolved.SkipLast(1));
                        through = Resolve(parent.Length == 0 ? target : parent + "/" + target, depth + 1);
                        _resolvedLinks[current] = through;
                    }

                    if (through is null)
                        return null;
                    resolved = through.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
                }
            }

            return string.Join('/', resolved);
        }

        /// <param name="directory">An explicit folder entry, which may follow the files inside it (d/f, then d/).</param>
        private void Claim(string path, bool directory, string archive)
        {
            if (_paths.TryGetValue(path, out var earlier) || (!directory && _directories.Contains(path)))
            {
                var alias = earlier is not null && earlier != path ? $" as {earlier} (this volume does not tell case or Unicode normalization apart)" : "";
                throw Unsafe(archive, $"{path} appears twice{alias}");
            }

            _paths.Add(path);

            // A later entry must never be written through a link that an earlier one declared.
            for (var parent = Parent(path); parent.Length > 0; parent = Parent(parent))
            {
                if (_symbolicLinks.ContainsKey(parent) || _files.Contains(parent))
                    throw Unsafe(archive, $"{path} lies under {parent}, which is not a folder");
            }
        }

        private void EnsureDirectory(string path)
        {
            if (path.Length == 0 || _directories.Contains(path))
                return;
            if (_symbolicLinks.ContainsKey(path) || _files.Contains(path))
                throw Unsafe(null, $"{path} is needed as a folder but is a file or link in the archive");

            EnsureDirectory(Parent(path));
            Directory.CreateDirectory(Path.Combine(root, path));
            _directories.Add(path);
        }

        private static string Parent(string path)
        {
            var slash = path.LastIndexOf('/');
            return slash < 0 ? "" : path[..slash];
        }
    }

    /// <summary>The entry's path relative to the archive root; absolute paths, "..", and NUL are refused.</summary>
    internal static string NormalizeEntryName(string name, string archive)
    {
        if (name.StartsWith('/') || name.Contains('\0') || name.Contains('\\'))
            throw Unsafe(archive, $"entry '{name}' has an absolute or malformed path");

        var components = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(x => x != ".").ToArray();
        if (components.Contains(".."))
            throw Unsafe(archive, $"entry '{name}' climbs out of the archive with '..'");

        return string.Join('/', components);
    }

    private static ReleaseException Unsafe(string? archive, string reason) =>
        new($"Refusing to extract {(archive is null ? "the archive" : archive)}: {reason}. Nothing was written outside the target; get the archive from a trusted source");

    private sealed record WriteJob(string Path, byte[] Buffer, int Length, UnixFileMode Mode, DateTime Modified);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string existing, string created);
}
