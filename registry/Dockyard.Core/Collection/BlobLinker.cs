using System.Collections.Concurrent;
using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Collection;

/// <summary>
/// Links blobs into repositories so that garbage collection, running at the same time on any node, never leaves a
/// link (or a stored manifest) pointing at deleted bytes. Every request that makes a blob reachable goes through it.
/// </summary>
/// <remarks>
/// The rule (docs/gc.md): the collector condemns a blob in the ledger, then checks that no repository links it,
/// then deletes it; a request links first, then checks that the blob is neither condemned nor gone. Whichever order
/// the two interleave in, either the collector sees the link and keeps the blob, or the request sees the
/// condemnation (or the missing bytes), takes its link back and answers 503 with Retry-After, and the client's retry
/// uploads the blob again. A request never answers success with a reference to bytes that are being deleted.
/// </remarks>
public sealed class BlobLinker(IBlobStore blobs, IMetadataStore metadata, CollectionOptions options, TimeProvider time)
{
    /// <summary>Links a blob just published or mounted, and checks it survives collection.</summary>
    /// <exception cref="BlobCollectedException">The collector deleted or is deleting the blob; the link is taken back.</exception>
    public async Task LinkAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        await metadata.BlobLinks.LinkAsync(repository, digest, size, cancellationToken);
        await VerifyAsync(repository, [digest], cancellationToken);
    }

    /// <summary>
    /// After storing something that refers to <paramref name="references"/> (a manifest, a signature): re-links each
    /// one that is missing or linked longer ago than half the grace period (a collection that did not see the
    /// referrer cannot remove a link refreshed within half the grace period), then checks that every one survives
    /// collection (a link seen here may be another request's that is about to be taken back).
    /// </summary>
    /// <exception cref="BlobCollectedException">A referenced blob was collected meanwhile; its link is taken back.</exception>
    public async Task KeepLinkedAsync(RepositoryName repository, IEnumerable<(Digest Digest, long Size)> references, CancellationToken cancellationToken)
    {
        var refreshBefore = time.GetUtcNow() - options.Delay / 2;
        var digests = new List<Digest>();
        foreach (var (digest, size) in references)
        {
            if (digests.Contains(digest))
            {
                continue;
            }
            digests.Add(digest);
            var link = await metadata.BlobLinks.GetLinkAsync(repository, digest, cancellationToken);
            if (link is null || link.LinkedAt < refreshBefore)
            {
                await metadata.BlobLinks.LinkAsync(repository, digest, link?.Size ?? size, cancellationToken);
            }
        }
        if (digests.Count > 0)
        {
            await VerifyAsync(repository, digests, cancellationToken);
        }
    }

    private async Task VerifyAsync(RepositoryName repository, IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        var lost = new List<Digest>(await metadata.Collection.FindCondemnedAsync(digests, cancellationToken));
        var missing = new ConcurrentBag<Digest>();
        var toStat = digests.Where(d => !lost.Contains(d)).ToList();
        // Stats of a remote store are round trips: a manifest's many layers are checked a few at a time.
        await Parallel.ForEachAsync(toStat, new ParallelOptions { MaxDegreeOfParallelism = toStat.Count > 2 ? 8 : 1, CancellationToken = cancellationToken },
            async (digest, token) =>
            {
                if (await blobs.StatAsync(digest, token) is null)
                {
                    missing.Add(digest);
                }
            });
        lost.AddRange(missing);
        if (lost.Count == 0)
        {
            return;
        }
        // Taking the links back makes the client's retry upload the blobs again instead of trusting a HEAD.
        foreach (var digest in lost)
        {
            await metadata.BlobLinks.UnlinkAsync(repository, digest, CancellationToken.None);
        }
        throw new BlobCollectedException(lost[0]);
    }
}

/// <summary>A blob a request was linking was garbage collected meanwhile: 503 with Retry-After; the client's retry pushes it again.</summary>
public sealed class BlobCollectedException(Digest digest)
    : StorageUnavailableException($"blob {digest} was being garbage collected; push it again");
