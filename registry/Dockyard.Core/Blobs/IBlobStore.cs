using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Blobs;

/// <summary>
/// Content-addressed blob storage plus the staging area uploads are written to before they are verified.
/// Published blobs are immutable and global (repositories link to them through the metadata store); a staged
/// upload is a set of immutable parts, never visible as a blob until <see cref="PublishUploadAsync"/> succeeds,
/// which must be atomic: a crash at any point leaves either no blob or the whole blob.
/// </summary>
/// <remarks>Implementations: local disk, Azure Blob, Ceph RADOS. All pass BlobStoreConformance.</remarks>
public interface IBlobStore
{
    /// <summary>The size of a published blob; null when no such blob exists.</summary>
    Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a published blob for reading from <paramref name="offset"/>; null when no such blob exists. The stream
    /// ends at the blob's end; callers read only what they need.
    /// </summary>
    Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> published blobs ordered by digest string (ordinal), strictly after
    /// <paramref name="after"/> (null: from the start), with their size and when they were last published. For
    /// garbage collection: it walks the whole store, so it is maintenance work, never a request's.
    /// </summary>
    Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Removes a published blob; false when there was none.</summary>
    Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Creates an empty staging area for an upload. Upload ids are opaque, made by the caller; stores refuse ids that
    /// are not ASCII letters, digits and '-' with <see cref="ArgumentException"/> before touching any path or key.
    /// </summary>
    Task CreateUploadAsync(string uploadId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="data"/>, read to its end, as the new part <paramref name="partId"/> of the upload and
    /// returns the number of bytes written. A part is written once by exactly one writer and never overwritten, so
    /// concurrent writers of one upload cannot touch each other's bytes; which parts count is decided afterwards by
    /// the metadata store (<c>IUploadSessionStore.TryAdvanceAsync</c>). Part ids follow the rules of upload ids and
    /// must be new: the caller makes a fresh one for every write (a store may refuse an existing one; the local one
    /// throws <see cref="IOException"/>). Throws <see cref="KeyNotFoundException"/> when the upload does not exist.
    /// </summary>
    Task<long> WriteUploadPartAsync(string uploadId, string partId, Stream data, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the concatenation of exactly <paramref name="parts"/>, in order (empty for no parts), to re-hash the
    /// committed bytes of an upload. Throws <see cref="KeyNotFoundException"/> when the upload does not exist or
    /// lacks one of the parts, also from the stream's reads when they are removed while it is read; a store that can
    /// tell a part's stored size from its recorded one throws <see cref="InvalidDataException"/> when they differ.
    /// </summary>
    Task<Stream> OpenUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the concatenation of <paramref name="parts"/> the blob <paramref name="digest"/> (already verified by
    /// the caller) and removes the staging area with all its parts. Atomic: a crash at any point leaves either no
    /// blob or the whole blob. Publishing a digest that already exists keeps the existing blob (and still removes
    /// the staging area). Throws <see cref="KeyNotFoundException"/> when the blob does not exist and the upload or
    /// one of the parts is missing, also when they are removed while they are published.
    /// </summary>
    /// <remarks>Publishing a digest that exists keeps its bytes but refreshes its <see cref="StoredBlob.PublishedAt"/>.</remarks>
    Task PublishUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Removes one part, written by a caller that lost the race to commit it or failed to; the other parts are
    /// untouched. No error when the part or the upload is already gone.
    /// </summary>
    Task DeleteUploadPartAsync(string uploadId, string partId, CancellationToken cancellationToken);

    /// <summary>Removes an upload's staging area with all its parts, committed or not; no error when it is already gone.</summary>
    Task DeleteUploadAsync(string uploadId, CancellationToken cancellationToken);

    /// <summary>
    /// The ids of the staging areas nothing was written to since <paramref name="before"/> (no part added or committed),
    /// in no particular order; empty when there are none. An area created or written to since then is not listed. For
    /// purging the staging no upload owns any more (a crash, a failed clean-up, a deleted repository): it scans every
    /// staging area, so it is maintenance work, never a request's.
    /// </summary>
    Task<IReadOnlyList<string>> ListUploadsWrittenBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>
    /// A path on this machine holding the blob, so that the host can send it with zero-copy I/O; null for
    /// stores that are not local files (the default).
    /// </summary>
    string? GetLocalPath(Digest digest) => null;

    /// <summary>
    /// A short-lived URL a client may be redirected to for reading the blob directly; null when the store
    /// offers none (the default) or redirects are disabled.
    /// </summary>
    Task<Uri?> GetRedirectUriAsync(Digest digest, CancellationToken cancellationToken) => Task.FromResult<Uri?>(null);
}

/// <summary>A published blob as listed for garbage collection; <see cref="PublishedAt"/> is when it was last published.</summary>
public sealed record StoredBlob(Digest Digest, long Size, DateTimeOffset PublishedAt);
