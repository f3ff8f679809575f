using Dockyard.Core.Blobs;
using Dockyard.Core.Names;

namespace Dockyard.Ceph;

/// <summary>
/// Lists published blobs in digest order for garbage collection. RADOS lists a pool's objects unordered, so each page
/// is one full scan of the namespace that keeps only the <c>limit</c> smallest digests after <c>after</c> in a bounded
/// heap: memory is O(limit) whatever the pool holds, time O(objects · log limit) per page, so callers should ask
/// for large pages (a walk of B blobs costs B / limit scans). Each listed blob's size is read from its index and its
/// publish time is the index object's mtime (see <see cref="RadosPool.Modified"/>), rounded up to the next second.
/// </summary>
internal static class RadosBlobListing
{
    private static readonly Comparer<string> Descending = Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a));

    public static IReadOnlyList<StoredBlob> List(RadosPool pool, string? after, int limit, CancellationToken cancellationToken)
    {
        var found = new List<StoredBlob>();
        while (found.Count < limit)
        {
            var wanted = limit - found.Count;
            var candidates = Smallest(pool, after, wanted);
            foreach (var (name, digest) in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // A blob deleted since the scan is missing here and skipped.
                if (pool.Modified(name) is { } modified && pool.ReadAll(name) is { } json)
                {
                    found.Add(new StoredBlob(digest, RadosJson.ReadBlob(json, name).Size, modified.AddSeconds(1)));
                }
            }
            if (candidates.Count < wanted)
            {
                break; // the scan found no more
            }
            after = candidates[^1].Digest.Value; // some were deleted meanwhile: scan again for the rest of the page
        }
        return found;
    }

    /// <summary>The index objects of the <paramref name="count"/> smallest digests after <paramref name="after"/>, in order.</summary>
    private static List<(string Name, Digest Digest)> Smallest(RadosPool pool, string? after, int count)
    {
        var heap = new PriorityQueue<(string, Digest), string>(Descending); // the largest digest kept is on top
        pool.ForEachObject(oid =>
        {
            if (RadosBlobStore.DigestOfIndex(oid) is not { } digest || (after is not null && string.CompareOrdinal(digest.Value, after) <= 0))
            {
                return;
            }
            if (heap.Count < count)
            {
                heap.Enqueue((oid, digest), digest.Value);
            }
            else if (heap.TryPeek(out _, out var largest) && string.CompareOrdinal(digest.Value, largest) < 0)
            {
                heap.DequeueEnqueue((oid, digest), digest.Value);
            }
        });
        var smallest = new List<(string, Digest)>(heap.Count);
        while (heap.Count > 0)
        {
            smallest.Add(heap.Dequeue());
        }
        smallest.Reverse();
        return smallest;
    }
}
