using Dockyard.Core.Names;

namespace Dockyard.Core.Metadata.PullCache;

/// <summary>The manifest index of <see cref="PullCachedMetadataStore"/>: pulls by digest from memory when current, deletes stamped.</summary>
internal sealed class PullCachedManifestIndex(IManifestIndex inner, IRepositoryStamps stamps, SharedStampReads reads, PulledManifests pulled) : IManifestIndex
{
    public Task<ManifestRecord?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        inner.GetAsync(repository, digest, cancellationToken);

    public Task<StoredManifest?> GetContentAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        PullCachedMetadataStore.PullAsync(reads, pulled, new PullKey(repository.Value, digest.Value, ByDigest: true),
            () => inner.GetContentAsync(repository, digest, cancellationToken), repository, cancellationToken);

    public Task PutAsync(RepositoryName repository, ManifestRecord manifest, CancellationToken cancellationToken) =>
        inner.PutAsync(repository, manifest, cancellationToken);

    public Task PutAsync(RepositoryName repository, ManifestRecord manifest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        inner.PutAsync(repository, manifest, content, cancellationToken);

    public Task<bool> TouchAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        inner.TouchAsync(repository, digest, cancellationToken);

    public Task<bool> DeleteIfUnusedAsync(RepositoryName repository, Digest digest, DateTimeOffset untouchedSince, CancellationToken cancellationToken) =>
        PullCachedMetadataStore.StampedAsync(stamps, repository,
            () => inner.DeleteIfUnusedAsync(repository, digest, untouchedSince, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ManifestRecord>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(repository, after, limit, cancellationToken);

    public Task<bool> DeleteAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        PullCachedMetadataStore.StampedAsync(stamps, repository, () => inner.DeleteAsync(repository, digest, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ReferrerRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken) =>
        inner.ListReferrersAsync(repository, subject, cancellationToken);
}
