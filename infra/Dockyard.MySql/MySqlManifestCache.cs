using System.Collections.Concurrent;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.MySql;

/// <summary>
/// A manifest row as the server holds it at the time of a read: its digest and when it was stored. A delete followed
/// by a new push of the same digest makes a new row with a new <see cref="CreatedAt"/>.
/// </summary>
internal sealed record ManifestRow(Digest Digest, DateTimeOffset CreatedAt);

/// <summary>
/// One node's copy of recently pulled manifests (record and inline bytes) by repository and digest, so that a pull
/// asks the server only for the row's <see cref="ManifestRow"/> and reads the record and bytes only on a miss. The
/// stores serve an entry only when the server's row, read by the same pull, has the entry's <c>created_at</c>: a
/// manifest deleted through another node has no row (404), and one deleted and pushed again has a new time (read afresh).
/// </summary>
/// <remarks>
/// Bounded by <c>capacityBytes</c> (the bytes plus <see cref="EntryOverhead"/> per entry) in two generations of
/// half the bound each: entries go into the young one; when it is full it becomes the old one and the previous old
/// one is dropped. A hit in the old generation moves the entry back to the young one, so what is pulled often stays
/// and the hit path takes no lock.
/// </remarks>
internal sealed class MySqlManifestCache(long capacityBytes)
{
    /// <summary>What an entry costs besides its bytes: the record, its strings, the key, the dictionary's node.</summary>
    internal const int EntryOverhead = 512;

    private readonly Lock rotating = new();
    private volatile Generation young = new();
    private volatile Generation old = new();

    /// <summary>
    /// The cached manifest of <paramref name="digest"/> in <paramref name="repository"/>; null when there is none. The
    /// caller serves it only if the server's row has its <see cref="ManifestRecord.CreatedAt"/>.
    /// </summary>
    public StoredManifest? Find(RepositoryName repository, Digest digest)
    {
        var key = (repository.Value, digest.Value);
        if (young.Entries.TryGetValue(key, out var entry))
        {
            return entry;
        }
        if (old.Entries.TryGetValue(key, out entry))
        {
            Add(key, entry);
            return entry;
        }
        return null;
    }

    /// <summary>Keeps <paramref name="manifest"/> if the store returned its bytes and they fit; others are not kept.</summary>
    public void Add(RepositoryName repository, StoredManifest manifest)
    {
        if (manifest.Content is { } content && content.Length == manifest.Record.Size && Cost(manifest) <= capacityBytes / 8)
        {
            Add((repository.Value, manifest.Record.Digest.Value), manifest);
        }
    }

    private void Add((string, string) key, StoredManifest manifest)
    {
        var generation = young;
        generation.Entries[key] = manifest;
        if (Interlocked.Add(ref generation.Bytes, Cost(manifest)) > capacityBytes / 2)
        {
            Rotate(generation);
        }
    }

    private void Rotate(Generation full)
    {
        lock (rotating)
        {
            if (young == full)
            {
                old = full;
                young = new Generation();
            }
        }
    }

    private static long Cost(StoredManifest manifest) => (manifest.Content?.Length ?? 0) + EntryOverhead;

    private sealed class Generation
    {
        public readonly ConcurrentDictionary<(string Repository, string Digest), StoredManifest> Entries = new();
        public long Bytes;
    }
}
