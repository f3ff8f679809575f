using System.Diagnostics;
using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;

namespace Dockyard.Core.Collection;

/// <summary>
/// Garbage collection's sweep of the blob store: deletes the blobs no repository kept linked during the mark and
/// published before the cut-off, each one condemned first and checked again for links (see <see cref="BlobLinker"/>).
/// </summary>
internal sealed class BlobSweeper(IBlobStore blobs, IMetadataStore metadata)
{
    // Large pages: RADOS lists a namespace unordered, so each page is one scan of it (its store keeps only the page's
    // smallest digests in memory); ten thousand entries are about a megabyte here.
    private const int Page = 10_000;

    // Deleting later than this after condemning could outlast the condemnation that makes requests back off.
    private static readonly TimeSpan DeleteWithin = ICollectionLedger.CondemnationLifetime / 10;

    public async Task SweepAsync(DigestSet kept, DateTimeOffset cutoff, bool dryRun, bool details, CollectionReport report,
        Func<CancellationToken, Task> renewLease, CancellationToken cancellationToken)
    {
        string? after = null;
        IReadOnlyList<StoredBlob> page;
        do
        {
            page = await blobs.ListBlobsAsync(after, Page, cancellationToken);
            foreach (var blob in page)
            {
                if (kept.Contains(blob.Digest) || blob.PublishedAt >= cutoff)
                {
                    continue;
                }
                if (dryRun || await TryDeleteAsync(blob, report, cancellationToken))
                {
                    report.BlobsDeleted++;
                    report.BytesFreed += blob.Size;
                    if (details)
                    {
                        report.DeletedBlobs.Add((blob.Digest, blob.Size));
                    }
                }
            }
            after = page.Count > 0 ? page[^1].Digest.Value : null;
            if (!dryRun)
            {
                await renewLease(cancellationToken);
            }
        }
        while (page.Count == Page);
    }

    private async Task<bool> TryDeleteAsync(StoredBlob blob, CollectionReport report, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await metadata.Collection.CondemnAsync(blob.Digest, cancellationToken);
        try
        {
            if (await metadata.BlobLinks.IsLinkedAnywhereAsync(blob.Digest, cancellationToken))
            {
                report.BlobsReprieved++;
                return false;
            }
            return clock.Elapsed < DeleteWithin && await blobs.DeleteAsync(blob.Digest, cancellationToken);
        }
        finally
        {
            await metadata.Collection.ReleaseAsync(blob.Digest, CancellationToken.None);
        }
    }
}
