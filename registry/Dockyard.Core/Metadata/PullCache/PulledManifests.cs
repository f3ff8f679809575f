using Dockyard.Core.Manifests;

namespace Dockyard.Core.Metadata.PullCache;

/// <summary>
/// A node's memory of pulled manifests, each with the repository stamp it was read under, bounded by their bytes,
/// oldest out first (<see cref="FifoByteCache{TKey, TValue}"/>: no bookkeeping on the hit path).
/// </summary>
public sealed class PulledManifests(long capacityBytes = PulledManifests.DefaultCapacityBytes)
{
    /// <summary>32 MiB: about 10,000 typical manifests of a few KiB with their records.</summary>
    public const long DefaultCapacityBytes = 32L * 1024 * 1024;

    // What an entry costs besides its bytes (the record's strings, the key, the dictionary's node), roughly.
    private const int Overhead = 512;

    private readonly FifoByteCache<PullKey, Entry> entries = new(capacityBytes);

    /// <summary>The manifest read for <paramref name="key"/> under <paramref name="stamp"/>; null when there is none under that stamp.</summary>
    public StoredManifest? Get(PullKey key, string stamp) =>
        entries.TryGet(key, out var entry) && entry.Stamp == stamp ? entry.Manifest : null;

    /// <summary>Keeps <paramref name="manifest"/>, read for <paramref name="key"/> under <paramref name="stamp"/>, replacing what the key held.</summary>
    public void Add(PullKey key, string stamp, StoredManifest manifest) =>
        entries.Add(key, new Entry(stamp, manifest), Overhead + key.Repository.Length + key.Reference.Length + (manifest.Content?.Length ?? 0), replace: true);

    /// <summary>Forgets everything (this node lost its view of the stamps).</summary>
    public void Clear() => entries.Clear();

    private sealed record Entry(string Stamp, StoredManifest Manifest);
}

/// <summary>What a pull asked for: a tag or a digest (<paramref name="Reference"/>, told apart by <paramref name="ByDigest"/>) of a repository.</summary>
public readonly record struct PullKey(string Repository, string Reference, bool ByDigest);
