using Dockyard.Core.Names;

namespace Dockyard.Core.Blobs;

/// <summary>
/// Content-addressed blob storage plus the staging area uploads are written to before they are verified.
/// Published blobs are immutable and global (repositories link to them through the metadata store); a staged
/// upload is never visible as a blob until <see cref="PublishUploadAsync"/> succeeds, which must be atomic: a
/// crash at any point leaves either no blob or the whole blob.
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

    /// <summary>Removes a published blob; false when there was none.</summary>
    Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Creates an empty staging area for an upload. Upload ids are opaque, validated by the caller.</summary>
    Task CreateUploadAsync(string uploadId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="data"/> to the upload starting at <paramref name="offset"/> (the committed size
    /// known to the metadata store; bytes past it from an interrupted write are discarded) and returns the
    /// number of bytes written. Throws <see cref="KeyNotFoundException"/> when the upload does not exist.
    /// </summary>
    Task<long> WriteUploadAsync(string uploadId, long offset, Stream data, CancellationToken cancellationToken);

    /// <summary>Opens the first <paramref name="length"/> staged bytes, to rebuild a hash state lost with its node.</summary>
    Task<Stream> OpenUploadAsync(string uploadId, long length, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the first <paramref name="length"/> staged bytes the blob <paramref name="digest"/> (already verified by
    /// the caller) and removes the staging area. Publishing a digest that already exists keeps the existing blob.
    /// </summary>
    Task PublishUploadAsync(string uploadId, long length, Digest digest, CancellationToken cancellationToken);

    /// <summary>Removes an upload's staging area; no error when it is already gone.</summary>
    Task DeleteUploadAsync(string uploadId, CancellationToken cancellationToken);

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
