using Dockyard.Core.Names;

namespace Dockyard.Core.Appc;

/// <summary>
/// The appc/rkt metadata of repositories: published ACIs, pushes in progress, trusted public keys and the cache of
/// Docker/OCI images converted to ACIs. Keyed lookups, listings scoped by repository and conditional writes only,
/// so SQLite, Azure Tables, MySQL and Redis can implement it.
/// </summary>
public interface IAciStore
{
    /// <summary>The ACI published for (version, os, arch); null when there is none.</summary>
    Task<AciImage?> GetAsync(RepositoryName repository, string version, string os, string arch, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="image"/>; false (and nothing changed) when its (version, os, arch) is already published.</summary>
    Task<bool> TryAddAsync(AciImage image, CancellationToken cancellationToken);

    /// <summary>A repository's ACIs ordered by version, os, arch; at most <paramref name="limit"/> after the key <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<AciImage>> ListAsync(RepositoryName repository, (string Version, string Os, string Arch)? after, int limit, CancellationToken cancellationToken);

    /// <summary>Unpublishes an ACI; false when there was none. Its blobs stay until garbage collection.</summary>
    Task<bool> DeleteAsync(RepositoryName repository, string version, string os, string arch, CancellationToken cancellationToken);

    /// <summary>Records a new push; false when the id is taken.</summary>
    Task<bool> TryCreateUploadAsync(AciUpload upload, CancellationToken cancellationToken);

    /// <summary>The push <paramref name="id"/> of the repository; null when unknown (never started, completed or aborted).</summary>
    Task<AciUpload?> GetUploadAsync(RepositoryName repository, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the push's manifest and parts with those of <paramref name="upload"/> if it still has exactly the
    /// parts of <paramref name="expected"/> (a conditional write); false when it changed meanwhile or is gone.
    /// </summary>
    Task<bool> TryUpdateUploadAsync(AciUpload expected, AciUpload upload, CancellationToken cancellationToken);

    /// <summary>Forgets a push; false when it was already gone.</summary>
    Task<bool> DeleteUploadAsync(RepositoryName repository, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> pushes of any repository started before <paramref name="before"/>, oldest first,
    /// for purging the abandoned ones; empty (never null) when there are none, or when the store holds no pushes at all.
    /// </summary>
    Task<IReadOnlyList<AciUpload>> ListUploadsStartedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>Trusts a key for the repository (a namespace-wide key is stored under the namespace's name); false when that fingerprint is already trusted there.</summary>
    Task<bool> TryAddKeyAsync(AciPublicKey key, CancellationToken cancellationToken);

    /// <summary>The keys trusted for exactly <paramref name="repository"/>, ordered by fingerprint.</summary>
    Task<IReadOnlyList<AciPublicKey>> ListKeysAsync(RepositoryName repository, CancellationToken cancellationToken);

    /// <summary>The cached ACI made from the image manifest <paramref name="manifest"/>; null when not converted yet.</summary>
    Task<AciConversion?> GetConversionAsync(RepositoryName repository, Digest manifest, CancellationToken cancellationToken);

    /// <summary>Caches a conversion; a second writer of the same manifest keeps the first one's record.</summary>
    Task PutConversionAsync(AciConversion conversion, CancellationToken cancellationToken);

    /// <summary>
    /// Removes everything kept for the repository: published ACIs, pushes in progress, trusted keys and conversions (a
    /// namespace's own keys go when the namespace's name is passed). Blobs stay until garbage collection. No effect when it has none.
    /// </summary>
    Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken);
}
