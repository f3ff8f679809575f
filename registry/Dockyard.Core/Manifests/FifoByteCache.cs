using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Dockyard.Core.Manifests;

/// <summary>
/// Values bounded by the bytes they are said to cost: when an addition takes the total past the bound, the oldest
/// entries are evicted until it is back to three quarters full. A value over a quarter of the bound is not kept.
/// </summary>
/// <remarks>
/// First-in-first-out instead of least-recently-used: it needs no bookkeeping on the hit path, which is most manifest
/// GETs, and a hot entry evicted costs one read before it is back. Starting over when full, as the manifest cache once
/// did, left a registry larger than the cache missing on most requests.
/// </remarks>
internal sealed class FifoByteCache<TKey, TValue>(long capacityBytes) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, long Size)> entries = new();
    private readonly ConcurrentQueue<TKey> order = new();
    private readonly Lock evicting = new();
    private long bytes;

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var found = entries.TryGetValue(key, out var entry);
        value = entry.Value;
        return found;
    }

    /// <summary>Keeps <paramref name="value"/> for <paramref name="key"/>; an existing entry is replaced only when <paramref name="replace"/>.</summary>
    public void Add(TKey key, TValue value, long size, bool replace)
    {
        if (size > capacityBytes / 4)
        {
            return;
        }
        var added = size;
        if (!replace)
        {
            if (!entries.TryAdd(key, (value, size)))
            {
                return;
            }
            order.Enqueue(key);
        }
        else
        {
            entries.AddOrUpdate(key, _ =>
            {
                order.Enqueue(key);
                return (value, size);
            }, (_, old) =>
            {
                added = size - old.Size;
                return (value, size);
            });
        }
        if (Interlocked.Add(ref bytes, added) > capacityBytes)
        {
            Evict();
        }
    }

    public void Clear()
    {
        lock (evicting)
        {
            order.Clear();
            entries.Clear();
            Interlocked.Exchange(ref bytes, 0);
        }
    }

    private void Evict()
    {
        lock (evicting)
        {
            while (Interlocked.Read(ref bytes) > capacityBytes / 4 * 3 && order.TryDequeue(out var key))
            {
                if (entries.TryRemove(key, out var removed))
                {
                    Interlocked.Add(ref bytes, -removed.Size);
                }
            }
        }
    }
}
