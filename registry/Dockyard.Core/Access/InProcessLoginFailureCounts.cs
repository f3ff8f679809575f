using System.Collections.Concurrent;

namespace Dockyard.Core.Access;

/// <summary>
/// Failure counts in this process's memory: what a single node uses, and what a node falls back to while the shared
/// counter is unreachable. Swept of expired entries when it grows past 100,000 keys, so guesses from many addresses
/// cannot grow it without bound.
/// </summary>
public sealed class InProcessLoginFailureCounts(TimeProvider time) : ILoginFailureCounts
{
    private const int SweepAbove = 100_000;
    private readonly ConcurrentDictionary<string, Failures> failures = new(StringComparer.Ordinal);

    public Task<int[]> CountAsync(string[] keys, CancellationToken cancellationToken) => Task.FromResult(Array.ConvertAll(keys, Count));

    public Task AddAsync(string[] keys, TimeSpan window, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            failures.AddOrUpdate(key, _ => new Failures(time.GetUtcNow() + window, 1),
                (_, old) => time.GetUtcNow() < old.Expires ? old with { Count = old.Count + 1 } : new Failures(time.GetUtcNow() + window, 1));
        }
        if (failures.Count > SweepAbove)
        {
            Sweep();
        }
        return Task.CompletedTask;
    }

    public Task ForgetAsync(string key, CancellationToken cancellationToken)
    {
        failures.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private int Count(string key) => failures.TryGetValue(key, out var entry) && time.GetUtcNow() < entry.Expires ? entry.Count : 0;

    private void Sweep()
    {
        foreach (var (key, entry) in failures)
        {
            if (time.GetUtcNow() >= entry.Expires)
            {
                failures.TryRemove(key, out _);
            }
        }
    }

    private sealed record Failures(DateTimeOffset Expires, int Count);
}
