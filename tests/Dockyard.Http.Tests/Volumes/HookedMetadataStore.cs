using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Http.Tests.Volumes;

/// <summary>
/// The server's real metadata store with a pause point: <see cref="BeforeManifestPut"/> runs just before a manifest
/// record is written (after the commit guard's first look) and <see cref="BeforeTagSet"/> just before a tag moves (after
/// its second), so a test can let another host act exactly there. Each hook runs once, then is cleared.
/// </summary>
internal sealed class HookedMetadataStore(IMetadataStore inner) : IMetadataStore, IManifestIndex, ITagIndex
{
    public Func<Task>? BeforeManifestPut { get; set; }

    public Func<Task>? BeforeTagSet { get; set; }

    public IRepositoryIndex Repositories => inner.Repositories;

    public IBlobLinkIndex BlobLinks => inner.BlobLinks;

    public IManifestIndex Manifests => this;

    public ITagIndex Tags => this;

    public IUploadSessionStore Uploads => inner.Uploads;

    public ICollectionLedger Collection => inner.Collection;

    async Task IManifestIndex.PutAsync(RepositoryName repository, ManifestRecord manifest, CancellationToken cancellationToken)
    {
        await RunOnce(BeforeManifestPut, () => BeforeManifestPut = null);
        await inner.Manifests.PutAsync(repository, manifest, cancellationToken);
    }

    async Task<bool> ITagIndex.SetAsync(RepositoryName repository, string tag, Digest digest, CancellationToken cancellationToken)
    {
        await RunOnce(BeforeTagSet, () => BeforeTagSet = null);
        return await inner.Tags.SetAsync(repository, tag, digest, cancellationToken);
    }

    private static Task RunOnce(Func<Task>? hook, Action clear)
    {
        clear();
        return hook?.Invoke() ?? Task.CompletedTask;
    }

    Task<ManifestRecord?> IManifestIndex.GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        inner.Manifests.GetAsync(repository, digest, cancellationToken);

    Task<bool> IManifestIndex.TouchAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        inner.Manifests.TouchAsync(repository, digest, cancellationToken);

    Task<bool> IManifestIndex.DeleteIfUnusedAsync(RepositoryName repository, Digest digest, DateTimeOffset untouchedSince, CancellationToken cancellationToken) =>
        inner.Manifests.DeleteIfUnusedAsync(repository, digest, untouchedSince, cancellationToken);

    Task<IReadOnlyList<ManifestRecord>> IManifestIndex.ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        inner.Manifests.ListAsync(repository, after, limit, cancellationToken);

    Task<bool> IManifestIndex.DeleteAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        inner.Manifests.DeleteAsync(repository, digest, cancellationToken);

    Task<IReadOnlyList<ReferrerRecord>> IManifestIndex.ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken) =>
        inner.Manifests.ListReferrersAsync(repository, subject, cancellationToken);

    Task<Digest?> ITagIndex.GetAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        inner.Tags.GetAsync(repository, tag, cancellationToken);

    Task<bool> ITagIndex.DeleteAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        inner.Tags.DeleteAsync(repository, tag, cancellationToken);

    Task<IReadOnlyList<string>> ITagIndex.ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken) =>
        inner.Tags.ListAsync(repository, after, limit, cancellationToken);
}
