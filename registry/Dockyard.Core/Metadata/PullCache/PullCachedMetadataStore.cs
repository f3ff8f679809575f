using Dockyard.Core.Names;

namespace Dockyard.Core.Metadata.PullCache;

/// <summary>
/// A shared metadata store with this node's memory of pulled manifests in front: a pull by tag or digest is served
/// from memory when the entry was read under the repository's current stamp (<see cref="IRepositoryStamps"/>), one
/// read of the stamp instead of a query; otherwise from the store. Every write that can change what a pull returns
/// (moving or deleting a tag, deleting a manifest or the repository) is bracketed by the stamps' begin and end,
/// so a pull that starts after such a write answered reads a new stamp and goes to the store. Storing a manifest
/// is not bracketed: it adds a digest, and a manifest's record and bytes never change while it exists.
/// </summary>
public sealed class PullCachedMetadataStore : IMetadataStore
{
    private readonly IMetadataStore inner;
    private readonly IRepositoryStamps stamps;
    private readonly SharedStampReads reads;
    private readonly PulledManifests pulled;

    public PullCachedMetadataStore(IMetadataStore inner, IRepositoryStamps stamps, PulledManifests pulled)
    {
        this.inner = inner;
        this.stamps = stamps;
        this.pulled = pulled;
        reads = new SharedStampReads(stamps);
        Repositories = new StampedRepositoryIndex(inner.Repositories, stamps);
        Manifests = new PullCachedManifestIndex(inner.Manifests, stamps, reads, pulled);
        Tags = new StampedTagIndex(inner.Tags, stamps);
    }

    public IRepositoryIndex Repositories { get; }

    public IBlobLinkIndex BlobLinks => inner.BlobLinks;

    public IManifestIndex Manifests { get; }

    public ITagIndex Tags { get; }

    public IUploadSessionStore Uploads => inner.Uploads;

    public ICollectionLedger Collection => inner.Collection;

    public Task<ManifestRecord?> GetTaggedManifestAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        inner.GetTaggedManifestAsync(repository, tag, cancellationToken);

    public Task<StoredManifest?> GetTaggedManifestContentAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        PullAsync(reads, pulled, new PullKey(repository.Value, tag, ByDigest: false),
            () => inner.GetTaggedManifestContentAsync(repository, tag, cancellationToken), repository, cancellationToken);

    /// <summary>
    /// The stamp is read before the store: an entry is kept under a stamp only when the store was read after the
    /// stamp was, so a write ending later (a new stamp) can never leave an older read looking current. Overlapping pulls
    /// of one repository share stamp reads (<see cref="SharedStampReads"/>), each still read after the pull began.
    /// </summary>
    internal static async Task<StoredManifest?> PullAsync(SharedStampReads stamps, PulledManifests pulled, PullKey key,
        Func<Task<StoredManifest?>> read, RepositoryName repository, CancellationToken cancellationToken)
    {
        var stamp = await stamps.CurrentAsync(repository, cancellationToken);
        if (stamp is not null && pulled.Get(key, stamp) is { } remembered)
        {
            return remembered;
        }
        var manifest = await read();
        if (stamp is not null && manifest is not null)
        {
            pulled.Add(key, stamp, manifest);
        }
        return manifest;
    }

    /// <summary>Runs a write between the stamps' begin and end (the end even when the write fails: it may have committed).</summary>
    internal static async Task<T> StampedAsync<T>(IRepositoryStamps stamps, RepositoryName repository, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await stamps.BeginWriteAsync(repository, cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            await stamps.EndWriteAsync(repository);
        }
    }
}
