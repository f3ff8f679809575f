using Dockyard.Core.Names;

namespace Dockyard.Core.Metadata.PullCache;

/// <summary>The tag index of <see cref="PullCachedMetadataStore"/>: moving or deleting a tag is stamped.</summary>
internal sealed class StampedTagIndex(ITagIndex inner, IRepositoryStamps stamps) : ITagIndex
{
    public Task<Digest?> GetAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        inner.GetAsync(repository, tag, cancellationToken);

    public Task<bool> SetAsync(RepositoryName repository, string tag, Digest digest, CancellationToken cancellationToken) =>
        PullCachedMetadataStore.StampedAsync(stamps, repository, () => inner.SetAsync(repository, tag, digest, cancellationToken), cancellationToken);

    public Task<bool> DeleteAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        PullCachedMetadataStore.StampedAsync(stamps, repository, () => inner.DeleteAsync(repository, tag, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(repository, after, limit, cancellationToken);

    public Task<IReadOnlyList<TagTarget>> ListTargetsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        inner.ListTargetsAsync(repository, after, limit, cancellationToken);
}
