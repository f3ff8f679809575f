using Dockyard.Core.Names;

namespace Dockyard.Core.Manifests;

/// <summary>
/// Manifest bytes by digest. Content-addressed bytes never change, so caching them is safe on every node. Bounded by
/// total bytes, oldest out first (<see cref="FifoByteCache{TKey, TValue}"/>).
/// </summary>
public sealed class ManifestContentCache(long capacityBytes = 64L * 1024 * 1024)
{
    private readonly FifoByteCache<Digest, byte[]> entries = new(capacityBytes);

    public byte[]? Get(Digest digest) => entries.TryGet(digest, out var content) ? content : null;

    public void Add(Digest digest, byte[] content) => entries.Add(digest, content, content.Length, replace: false);
}
