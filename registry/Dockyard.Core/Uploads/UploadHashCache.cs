using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dockyard.Core.Names;

namespace Dockyard.Core.Uploads;

/// <summary>
/// The running sha256 of each upload this node has been writing, keyed by upload id and valid only for the exact
/// committed size it was taken at. It is only a cache: any node that misses it re-reads the staged bytes.
/// </summary>
public sealed class UploadHashCache
{
    private const int Capacity = 4096;
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>Takes the hash state for the upload if it was saved at <paramref name="size"/>; null otherwise.</summary>
    public IncrementalHash? Take(string uploadId, long size)
    {
        if (!entries.TryRemove(uploadId, out var entry))
        {
            return null;
        }
        if (entry.Size == size)
        {
            return entry.Hash;
        }
        entry.Hash.Dispose();
        return null;
    }

    public void Save(string uploadId, long size, IncrementalHash hash)
    {
        if (entries.Count >= Capacity)
        {
            EvictOldest();
        }
        var entry = new Entry(size, hash, Environment.TickCount64);
        entries.AddOrUpdate(uploadId, entry, (_, old) => { old.Hash.Dispose(); return entry; });
    }

    public void Forget(string uploadId)
    {
        if (entries.TryRemove(uploadId, out var entry))
        {
            entry.Hash.Dispose();
        }
    }

    public static IncrementalHash NewHash() => Digest.CreateHash(Digest.Sha256);

    // Abandoned uploads must not pin memory forever; dropping a state costs only a re-read later.
    private void EvictOldest()
    {
        foreach (var (id, _) in entries.OrderBy(e => e.Value.Touched).Take(Capacity / 4).ToList())
        {
            Forget(id);
        }
    }

    private sealed record Entry(long Size, IncrementalHash Hash, long Touched);
}
