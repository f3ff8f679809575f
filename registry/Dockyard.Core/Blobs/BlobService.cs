using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Blobs;

/// <summary>Reads and deletes blobs as seen through a repository: a blob exists in a repository only when linked there.</summary>
public sealed class BlobService(IBlobStore blobs, IMetadataStore metadata)
{
    public IBlobStore Store => blobs;

    /// <exception cref="RegistryException">BLOB_UNKNOWN when the repository does not hold the blob.</exception>
    public async Task<long> StatAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await metadata.BlobLinks.GetAsync(repository, digest, cancellationToken) ?? throw Unknown(digest);

    /// <summary>Unlinks the blob from the repository; the bytes stay until no repository links them (garbage collection).</summary>
    /// <exception cref="RegistryException">BLOB_UNKNOWN when the repository does not hold the blob.</exception>
    public async Task DeleteAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        if (!await metadata.BlobLinks.UnlinkAsync(repository, digest, cancellationToken))
        {
            throw Unknown(digest);
        }
    }

    private static RegistryException Unknown(Digest digest) =>
        new(RegistryErrorCode.BlobUnknown, "blob unknown to registry", new { digest = digest.Value });
}
