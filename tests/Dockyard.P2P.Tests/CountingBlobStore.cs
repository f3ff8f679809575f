using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Launcher.Output;

namespace Dockyard.P2P.Tests;

/// <summary>
/// The registry's blob store with a count of the blob bytes read out of it: what the origin served (blob GETs, Range
/// GETs, the one read that computes piece hashes), counted by the launcher's <see cref="ProgressStream"/>. No local
/// path is offered, so every read goes through the count.
/// </summary>
internal sealed class CountingBlobStore(IBlobStore inner) : IBlobStore, ITransfer
{
    private long read;

    public long BytesRead => Interlocked.Read(ref read);

    public void Reset() => Interlocked.Exchange(ref read, 0);

    public async Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken) =>
        await inner.OpenReadAsync(digest, offset, cancellationToken) is { } stream ? new ProgressStream(stream, this) : null;

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

    void ITransfer.Advance(long bytes) => Interlocked.Add(ref read, bytes);

    void ITransfer.Done()
    {
    }
}
