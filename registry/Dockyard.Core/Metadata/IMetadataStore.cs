using Dockyard.Core.Names;

namespace Dockyard.Core.Metadata;

/// <summary>
/// Everything the registry knows besides blob bytes. Each index is scoped by repository and needs only keyed
/// lookups, ordered listings and conditional writes, so that SQLite, Azure Tables, MySQL and Redis can all
/// implement it. Implementations pass MetadataStoreConformance.
/// </summary>
public interface IMetadataStore
{
    IRepositoryIndex Repositories { get; }

    IBlobLinkIndex BlobLinks { get; }

    IManifestIndex Manifests { get; }

    ITagIndex Tags { get; }

    IUploadSessionStore Uploads { get; }

    /// <summary>What garbage collection must share across nodes: condemned blobs and the collector's lease.</summary>
    ICollectionLedger Collection { get; }

    /// <summary>
    /// The manifest the tag points at; null when the repository has no such tag. A store that can join the two
    /// lookups does it in one (a pull by tag is the registry's most frequent request).
    /// </summary>
    async Task<ManifestRecord?> GetTaggedManifestAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await Tags.GetAsync(repository, tag, cancellationToken) is { } digest
            ? await Manifests.GetAsync(repository, digest, cancellationToken)
            : null;

    /// <summary>
    /// As <see cref="GetTaggedManifestAsync"/>, with the manifest's bytes when the store keeps them inline
    /// (<see cref="StoredManifest.Content"/> null otherwise); null when the repository has no such tag.
    /// </summary>
    async Task<StoredManifest?> GetTaggedManifestContentAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await GetTaggedManifestAsync(repository, tag, cancellationToken) is { } record ? new StoredManifest(record, null) : null;
}

/// <summary>The set of repository names, in byte order.</summary>
public interface IRepositoryIndex
{
    /// <summary>Records the repository; no effect when it exists.</summary>
    Task EnsureAsync(RepositoryName repository, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(RepositoryName repository, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> names ordered by ordinal comparison, strictly after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<string>> ListAsync(string? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the repository with its tags, manifests, referrer entries, blob links and upload sessions (blob bytes
    /// stay for garbage collection); false when it did not exist.
    /// </summary>
    Task<bool> DeleteAsync(RepositoryName repository, CancellationToken cancellationToken);
}

/// <summary>Which blobs belong to which repository (what a pull may read and a mount may copy).</summary>
public interface IBlobLinkIndex
{
    /// <summary>
    /// Links the blob into the repository (creating the repository); idempotent. Linking again refreshes the link's
    /// <see cref="BlobLink.LinkedAt"/> to now, which keeps garbage collection from removing it for its grace period.
    /// </summary>
    Task LinkAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken);

    /// <summary>The blob's size when it is linked into the repository; null otherwise.</summary>
    Task<long?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>The link with its size and when it was last linked; null when the blob is not linked into the repository.</summary>
    Task<BlobLink?> GetLinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>Unlinks the blob; false when it was not linked.</summary>
    Task<bool> UnlinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Garbage collection's unlink: removes the link only if it was last linked strictly before
    /// <paramref name="linkedBefore"/>, in one atomic step with respect to <see cref="LinkAsync"/> (a concurrent
    /// re-link either happens first and keeps the link, or happens after and recreates it). False when nothing was removed.
    /// </summary>
    Task<bool> UnlinkIfStaleAsync(RepositoryName repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> links of the repository ordered by digest (ordinal), strictly after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<BlobLink>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// True when any repository links the blob. A point or single-partition lookup, never a scan of every link: the
    /// collector asks it once per blob it is about to delete. May err only towards true.
    /// </summary>
    Task<bool> IsLinkedAnywhereAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// The total size of the blobs linked into the namespace's repositories (the one named <paramref name="namespace"/>
    /// and those under <c>namespace/</c>), each link counted once; 0 when there are none.
    /// </summary>
    Task<long> SumSizesAsync(string @namespace, CancellationToken cancellationToken);
}

/// <summary>Manifests per repository, with the referrers index maintained alongside.</summary>
public interface IManifestIndex
{
    /// <summary>The manifest when the repository holds it; null otherwise.</summary>
    Task<ManifestRecord?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the manifest (creating the repository) and, when it has a subject, its referrer entry, in one
    /// atomic step; storing the same digest again changes nothing but touches it (see <see cref="TouchAsync"/>).
    /// </summary>
    Task PutAsync(RepositoryName repository, ManifestRecord manifest, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="PutAsync(RepositoryName, ManifestRecord, CancellationToken)"/>, offering the manifest's exact
    /// bytes to a store that keeps them inline (up to <see cref="StoredManifest.InlineLimit"/>); a store that does not
    /// ignores them. The bytes must already be in the blob store: that copy is the one garbage collection and blob
    /// reads use.
    /// </summary>
    Task PutAsync(RepositoryName repository, ManifestRecord manifest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        PutAsync(repository, manifest, cancellationToken);

    /// <summary>
    /// As <see cref="GetAsync"/>, with the manifest's bytes when the store keeps them inline
    /// (<see cref="StoredManifest.Content"/> null otherwise); null when the repository does not hold the manifest.
    /// </summary>
    async Task<StoredManifest?> GetContentAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        await GetAsync(repository, digest, cancellationToken) is { } record ? new StoredManifest(record, null) : null;

    /// <summary>
    /// Marks the manifest as just used (an index or tag now refers to it), so that a concurrent
    /// <see cref="DeleteIfUnusedAsync"/> with an earlier cut-off leaves it. False when the repository does not hold it.
    /// </summary>
    Task<bool> TouchAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Garbage collection's delete: removes the manifest and its referrer entry only if no tag points at it and it
    /// was neither stored nor touched at or after <paramref name="untouchedSince"/>, in one atomic step with respect
    /// to <see cref="ITagIndex.SetAsync"/>, <see cref="PutAsync(RepositoryName, ManifestRecord, CancellationToken)"/> and <see cref="TouchAsync"/>. False when nothing was removed.
    /// </summary>
    Task<bool> DeleteIfUnusedAsync(RepositoryName repository, Digest digest, DateTimeOffset untouchedSince, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> manifests of the repository ordered by digest (ordinal), strictly after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<ManifestRecord>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the manifest, the tags pointing at it and its referrer entry; false when it was absent.</summary>
    Task<bool> DeleteAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>The manifests whose subject is <paramref name="subject"/>, ordered by digest; empty when none.</summary>
    Task<IReadOnlyList<ReferrerRecord>> ListReferrersAsync(RepositoryName repository, Digest subject, CancellationToken cancellationToken);
}

/// <summary>Tags per repository.</summary>
public interface ITagIndex
{
    /// <summary>The digest the tag points at; null when the tag does not exist.</summary>
    Task<Digest?> GetAsync(RepositoryName repository, string tag, CancellationToken cancellationToken);

    /// <summary>
    /// Points the tag at a manifest the repository holds, replacing any previous target, and touches the manifest
    /// (<see cref="IManifestIndex.TouchAsync"/>), in one atomic step. False, with nothing written, when the repository
    /// does not hold the manifest (garbage collection removed it since the caller stored it).
    /// </summary>
    Task<bool> SetAsync(RepositoryName repository, string tag, Digest digest, CancellationToken cancellationToken);

    /// <summary>Removes the tag; false when it did not exist.</summary>
    Task<bool> DeleteAsync(RepositoryName repository, string tag, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> tags in ordinal order strictly after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<string>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="ListAsync"/>, with the digest each tag points at: one read for a whole page where the store can
    /// (garbage collection reads every tag of every repository). Fewer than <paramref name="limit"/> only at the end of
    /// the listing. The default lists, then looks each tag up, leaving out a tag deleted in between.
    /// </summary>
    async Task<IReadOnlyList<TagTarget>> ListTargetsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken)
    {
        var targets = new List<TagTarget>();
        while (targets.Count < limit)
        {
            var wanted = limit - targets.Count;
            var tags = await ListAsync(repository, after, wanted, cancellationToken);
            foreach (var tag in tags)
            {
                if (await GetAsync(repository, tag, cancellationToken) is { } digest)
                {
                    targets.Add(new TagTarget(tag, digest));
                }
            }
            if (tags.Count < wanted)
            {
                break;
            }
            after = tags[^1];
        }
        return targets;
    }
}

/// <summary>Upload sessions, so that any registry node can continue any upload.</summary>
public interface IUploadSessionStore
{
    /// <summary>Records a new session with its parts (normally none) (creating the repository).</summary>
    Task CreateAsync(UploadSession session, CancellationToken cancellationToken);

    /// <summary>The session; null when it does not exist in that repository.</summary>
    Task<UploadSession?> GetAsync(RepositoryName repository, string id, CancellationToken cancellationToken);

    /// <summary>
    /// The conditional write that commits a part: appends <paramref name="part"/> to the session's parts (so its
    /// size grows by <c>part.Size</c>) only if the committed size is still <paramref name="expectedSize"/>, in one
    /// atomic step. Returns false, and changes nothing, when the session is gone or another part was committed
    /// first; of concurrent calls from the same size exactly one succeeds.
    /// </summary>
    Task<bool> TryAdvanceAsync(RepositoryName repository, string id, long expectedSize, UploadPart part, CancellationToken cancellationToken);

    /// <summary>Removes the session; false when it did not exist.</summary>
    Task<bool> DeleteAsync(RepositoryName repository, string id, CancellationToken cancellationToken);

    /// <summary>The bytes committed to the unfinished uploads of the namespace's repositories (as <see cref="IBlobLinkIndex.SumSizesAsync"/> names them); 0 when none.</summary>
    Task<long> SumSizesAsync(string @namespace, CancellationToken cancellationToken);

    /// <summary>How many unfinished uploads <paramref name="client"/> (<see cref="UploadSession.Client"/>) holds, counting at most to <paramref name="atMost"/>.</summary>
    Task<int> CountByClientAsync(string client, int atMost, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> sessions of any repository started before <paramref name="before"/>, oldest first (for purging abandoned uploads).</summary>
    Task<IReadOnlyList<UploadSession>> ListStartedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);
}

/// <summary>
/// Garbage collection's shared state. A blob the collector is about to delete is first condemned here; every request
/// that links a blob checks, after linking, that it is neither condemned nor gone (see docs/gc.md for why this makes
/// collection race-free). The lease keeps two nodes from collecting at once.
/// </summary>
public interface ICollectionLedger
{
    /// <summary>
    /// How long a condemnation holds. A collector that crashed between condemning and releasing cannot block a blob
    /// for longer; a collector deletes only within <see cref="CondemnationLifetime"/> / 10 of condemning.
    /// </summary>
    static readonly TimeSpan CondemnationLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Records that the collector is about to delete the blob, as of now (condemning again restarts its lifetime).</summary>
    Task CondemnAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Removes the record (the blob was kept, or its bytes are gone); no error when absent.</summary>
    Task ReleaseAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>The digests among <paramref name="digests"/> condemned less than <see cref="CondemnationLifetime"/> ago; empty when none.</summary>
    Task<IReadOnlyCollection<Digest>> FindCondemnedAsync(IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken);

    /// <summary>
    /// Takes (or renews, when <paramref name="holder"/> already holds it) the collector's lease until
    /// <paramref name="now"/> + <paramref name="duration"/>; false when another holder's lease has not expired.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up if <paramref name="holder"/> holds it; no error otherwise.</summary>
    Task ReleaseLeaseAsync(string holder, CancellationToken cancellationToken);
}
