using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.P2P.Tests;

/// <summary>
/// The registry's blob store with a count of the blob bytes read out of it: what the origin served (blob GETs, Range
/// GETs, the one read that computes piece hashes). No local path is offered, so every read goes through the count.
/// </summary>
internal sealed class CountingBlobStore(IBlobStore inner) : IBlobStore
{
    private long read;

    public long BytesRead => Interlocked.Read(ref read);

    public void Reset() => Interlocked.Exchange(ref read, 0);

    public async Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken) =>
        await inner.OpenReadAsync(digest, offset, cancellationToken) is { } stream ? new Counting(stream, this) : null;

    public Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken) => inner.StatAsync(digest, cancellationToken);

    public Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(string? after, int limit, CancellationToken cancellationToken) => inner.ListBlobsAsync(after, limit, cancellationToken);

    public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken) => inner.DeleteAsync(digest, cancellationToken);

    public Task CreateUploadAsync(string uploadId, CancellationToken cancellationToken) => inner.CreateUploadAsync(uploadId, cancellationToken);

    public Task<long> WriteUploadPartAsync(string uploadId, string partId, Stream data, CancellationToken cancellationToken) =>
        inner.WriteUploadPartAsync(uploadId, partId, data, cancellationToken);

    public Task<Stream> OpenUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken) =>
        inner.OpenUploadAsync(uploadId, parts, cancellationToken);

    public Task PublishUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, Digest digest, CancellationToken cancellationToken) =>
        inner.PublishUploadAsync(uploadId, parts, digest, cancellationToken);

    public Task DeleteUploadPartAsync(string uploadId, string partId, CancellationToken cancellationToken) => inner.DeleteUploadPartAsync(uploadId, partId, cancellationToken);

    public Task DeleteUploadAsync(string uploadId, CancellationToken cancellationToken) => inner.DeleteUploadAsync(uploadId, cancellationToken);

    public Task<IReadOnlyList<string>> ListUploadsWrittenBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        inner.ListUploadsWrittenBeforeAsync(before, cancellationToken);

    private sealed class Counting(Stream inner, CountingBlobStore owner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            Interlocked.Add(ref owner.read, n);
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
