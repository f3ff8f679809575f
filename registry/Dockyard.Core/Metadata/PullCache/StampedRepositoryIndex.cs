using Dockyard.Core.Names;

namespace Dockyard.Core.Metadata.PullCache;

/// <summary>The repository index of <see cref="PullCachedMetadataStore"/>: deleting a repository (its tags and manifests with it) is stamped.</summary>
internal sealed class StampedRepositoryIndex(IRepositoryIndex inner, IRepositoryStamps stamps) : IRepositoryIndex
{
    public Task EnsureAsync(RepositoryName repository, CancellationToken cancellationToken) => inner.EnsureAsync(repository, cancellationToken);

    public Task<bool> ExistsAsync(RepositoryName repository, CancellationToken cancellationToken) => inner.ExistsAsync(repository, cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(after, limit, cancellationToken);

    public Task<bool> DeleteAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        PullCachedMetadataStore.StampedAsync(stamps, repository, () => inner.DeleteAsync(repository, cancellationToken), cancellationToken);
}
