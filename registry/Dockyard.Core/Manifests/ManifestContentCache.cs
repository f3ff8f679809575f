using System.Collections.Concurrent;
using Dockyard.Core.Names;

namespace Dockyard.Core.Manifests;

/// <summary>
/// Manifest bytes by digest. Content-addressed bytes never change, so caching them is safe on every node;
/// the cache is bounded by total bytes and simply starts over when full.
/// </summary>
public sealed class ManifestContentCache(long capacityBytes = 64L * 1024 * 1024)
{
    private readonly ConcurrentDictionary<Digest, byte[]> entries = new();
    private long bytes;

    public byte[]? Get(Digest digest) => entries.GetValueOrDefault(digest);

    public void Add(Digest digest, byte[] content)
    {
        if (Interlocked.Add(ref bytes, content.Length) > capacityBytes)
        {
            entries.Clear();
            Interlocked.Exchange(ref bytes, content.Length);
        }
        entries[digest] = content;
    }
}
