using System.Collections.Concurrent;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Verification;

/// <summary>
/// Remembers which manifests verified under which policy rule, so a pull verifies once. Bounded: past
/// <see cref="Capacity"/> entries the oldest are forgotten. Only successes are kept, since a signature pushed later
/// must be seen at the next pull; a manifest digest names immutable content, so a success stays true for it (until
/// the process restarts, a signature deleted meanwhile is still honoured).
/// </summary>
public sealed class VerifiedDigestCache(int capacity = 10_000)
{
    private readonly ConcurrentDictionary<(string Repository, string Digest, int Rule), byte> entries = new();
    private readonly ConcurrentQueue<(string Repository, string Digest, int Rule)> order = new();

    public int Capacity { get; } = capacity;

    public int Count => entries.Count;

    public bool Contains(RepositoryName repository, Digest digest, int rule) => entries.ContainsKey((repository.Value, digest.Value, rule));

    public void Add(RepositoryName repository, Digest digest, int rule)
    {
        var key = (repository.Value, digest.Value, rule);
        if (!entries.TryAdd(key, 0))
        {
            return;
        }
        order.Enqueue(key);
        while (entries.Count > Capacity && order.TryDequeue(out var oldest))
        {
            entries.TryRemove(oldest, out _);
        }
    }
}
