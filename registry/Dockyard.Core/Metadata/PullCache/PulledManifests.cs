using System.Collections.Concurrent;

namespace Dockyard.Core.Metadata.PullCache;

/// <summary>
/// A node's memory of pulled manifests, each with the repository stamp it was read under, bounded by their bytes:
/// when an addition takes it past the bound, the oldest entries go until it is back to three quarters full
/// (first in, first out, as <see cref="Manifests.ManifestContentCache"/>: no bookkeeping on the hit path).
/// </summary>
public sealed class PulledManifests(long capacityBytes = PulledManifests.DefaultCapacityBytes)
{
    /// <summary>32 MiB: about 10,000 typical manifests of a few KiB with their records.</summary>
    public const long DefaultCapacityBytes = 32L * 1024 * 1024;

    // What an entry costs besides its bytes (the record's strings, the key, the dictionary's node), roughly.
    private const int Overhead = 512;

    private readonly ConcurrentDictionary<PullKey, Entry> entries = new();
    private readonly ConcurrentQueue<PullKey> order = new();
    private readonly Lock evicting = new();
    private long bytes;

    /// <summary>The manifest read for <paramref name="key"/> under <paramref name="stamp"/>; null when there is none under that stamp.</summary>
    public StoredManifest? Get(PullKey key, string stamp) =>
        entries.TryGetValue(key, out var entry) && entry.Stamp == stamp ? entry.Manifest : null;

    /// <summary>Keeps <paramref name="manifest"/>, read for <paramref name="key"/> under <paramref name="stamp"/>, replacing what the key held.</summary>
    public void Add(PullKey key, string stamp, StoredManifest manifest)
    {
        var entry = new Entry(stamp, manifest, Overhead + key.Repository.Length + key.Reference.Length + (manifest.Content?.Length ?? 0));
        if (entry.Size > capacityBytes / 4)
        {
            return;
        }
        var added = entry.Size;
        entries.AddOrUpdate(key, _ =>
        {
            order.Enqueue(key);
            return entry;
        }, (_, old) =>
        {
            added = entry.Size - old.Size;
            return entry;
        });
        if (Interlocked.Add(ref bytes, added) > capacityBytes)
        {
            Evict();
        }
    }

    /// <summary>Forgets everything (this node lost its view of the stamps).</summary>
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

    private sealed record Entry(string Stamp, StoredManifest Manifest, long Size);
}

/// <summary>What a pull asked for: a tag or a digest (<paramref name="Reference"/>, told apart by <paramref name="ByDigest"/>) of a repository.</summary>
public readonly record struct PullKey(string Repository, string Reference, bool ByDigest);
