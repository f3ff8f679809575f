using System.Collections.Concurrent;

namespace Dockyard.Core.Access;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failed logins within <see cref="Window"/> for the same user,
/// or <see cref="MaxFailuresPerAddress"/> from the same address (higher, since many users may share a NAT or a proxy),
/// further attempts are refused until the window passes. Per node, in memory: a
/// cluster multiplies the allowance by its size, which still defeats online guessing.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public const int MaxFailuresPerAddress = 50;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, Failures> failures = new(StringComparer.Ordinal);

    public bool IsBlocked(string userName, string? address) =>
        Count("u:" + userName) >= MaxFailures || (address is not null && Count("a:" + address) >= MaxFailuresPerAddress);

    public void RecordFailure(string userName, string? address)
    {
        Add("u:" + userName);
        if (address is not null)
        {
            Add("a:" + address);
        }
        if (failures.Count > 100_000)
        {
            Sweep();
        }
    }

    public void RecordSuccess(string userName) => failures.TryRemove("u:" + userName, out _);

    private int Count(string key) =>
        failures.TryGetValue(key, out var entry) && time.GetUtcNow() - entry.Since < Window ? entry.Count : 0;

    private void Add(string key) =>
        failures.AddOrUpdate(key, _ => new Failures(time.GetUtcNow(), 1),
            (_, old) => time.GetUtcNow() - old.Since < Window ? old with { Count = old.Count + 1 } : new Failures(time.GetUtcNow(), 1));

    private void Sweep()
    {
        foreach (var (key, entry) in failures)
        {
            if (time.GetUtcNow() - entry.Since >= Window)
            {
                failures.TryRemove(key, out _);
            }
        }
    }

    private sealed record Failures(DateTimeOffset Since, int Count);
}
