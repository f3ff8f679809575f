using System.Collections.Concurrent;
using Dockyard.Core.Names;

namespace Dockyard.Core.Manifests;

/// <summary>
/// Manifest bytes by digest. Content-addressed bytes never change, so caching them is safe on every node. The cache
/// is bounded by total bytes: when an addition takes it past the bound, the oldest entries are evicted until it is
/// back to three quarters full.
/// </summary>
/// <remarks>
/// First-in-first-out instead of least-recently-used: it needs no bookkeeping on the hit path, which is most manifest
/// GETs, and a hot entry evicted costs one read before it is back. Starting over when full, as this cache once did,
/// left a registry larger than the cache missing on most requests.
/// </remarks>
public sealed class ManifestContentCache(long capacityBytes = 64L * 1024 * 1024)
{
    private readonly ConcurrentDictionary<Digest, byte[]> entries = new();
    private readonly ConcurrentQueue<Digest> order = new();
    private readonly Lock evicting = new();
    private long bytes;

    public byte[]? Get(Digest digest) => entries.GetValueOrDefault(digest);

    public void Add(Digest digest, byte[] content)
    {
        if (content.Length > capacityBytes / 4 || !entries.TryAdd(digest, content))
        {
            return;
        }
        order.Enqueue(digest);
        if (Interlocked.Add(ref bytes, content.Length) > capacityBytes)
        {
            Evict();
        }
    }

    private void Evict()
    {
        lock (evicting)
        {
            while (Interlocked.Read(ref bytes) > capacityBytes / 4 * 3 && order.TryDequeue(out var digest))
            {
                if (entries.TryRemove(digest, out var removed))
                {
                    Interlocked.Add(ref bytes, -removed.Length);
                }
            }
        }
    }
}
