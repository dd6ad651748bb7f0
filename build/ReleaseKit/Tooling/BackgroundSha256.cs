using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ReleaseKit.Tooling;

/// <summary>
/// SHA-256 of data a caller reads anyway, computed on another core: the caller hands over copies
/// of its buffers (from a pool) and goes on, one thread hashes them in order. Package reads each
/// file once into the tarball; hashing on the writer's own thread cost it about a tenth of its
/// time, while the other cores only compress. The queue is bounded, so a slow hasher slows the
/// reader instead of holding the whole tree in memory.
/// </summary>
public sealed class BackgroundSha256 : IDisposable
{
    private const int QueuedChunks = 256;
    private readonly BlockingCollection<Action> _work = new(QueuedChunks);
    private readonly Thread _thread;

    public BackgroundSha256()
    {
        _thread = new Thread(() =>
        {
            foreach (var work in _work.GetConsumingEnumerable())
                work();
        }) { IsBackground = true, Name = "sha256" };
        _thread.Start();
    }

    /// <summary>One stream of data to hash; <see cref="File.Finish"/> gives its digest once every chunk before it is hashed.</summary>
    public File Begin() => new(this);

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
    }

    public sealed class File
    {
        private readonly BackgroundSha256 _owner;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        internal File(BackgroundSha256 owner) => _owner = owner;

        public void Append(ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty)
                return;
            var copy = ArrayPool<byte>.Shared.Rent(data.Length);
            data.CopyTo(copy);
            var length = data.Length;
            _owner._work.Add(() =>
            {
                _hash.AppendData(copy, 0, length);
                ArrayPool<byte>.Shared.Return(copy);
            });
        }

        /// <summary>The SHA-256 in lower-case hex, once the hasher has reached this point.</summary>
        public Task<string> Finish()
        {
            var digest = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _owner._work.Add(() =>
            {
                digest.SetResult(Convert.ToHexStringLower(_hash.GetHashAndReset()));
                _hash.Dispose();
            });
            return digest.Task;
        }
    }

    /// <summary>A read-only stream that hands what passes through it to a <see cref="File"/>.</summary>
    public sealed class ReadStream(Stream inner, File hash) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            hash.Append(buffer[..read]);
            return read;
        }

        // A tar writer asks a file entry's length up front; it never seeks in the data.
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException("The data is hashed as it is read: it cannot be read twice");
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) =>
            origin == SeekOrigin.Current && offset == 0 ? inner.Position : throw new NotSupportedException("The data is hashed as it is read: it cannot be read twice");
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
