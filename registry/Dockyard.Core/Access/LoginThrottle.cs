using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Dockyard.Core.Access;

/// <summary>
/// Slows password guessing without letting anyone lock a user out. Failures are counted per user and address together
/// (after <see cref="MaxFailures"/> within <see cref="Window"/> that user is refused from that address) and per address
/// (after <see cref="MaxFailuresPerAddress"/>, higher since many users may share a NAT or a proxy, the address is refused
/// for every name). A user's failures from other addresses never block them: an attacker elsewhere cannot lock the user,
/// or the administrator, out of their own address. Guessing one user from many addresses is slowed instead by
/// <see cref="PasswordCheckSlots"/>, which checks that user's passwords one at a time. Per node, in memory: a cluster
/// multiplies the allowance by its size, which still defeats online guessing.
/// </summary>
/// <remarks>
/// Addresses are counted as given, except that an IPv6 address counts as its /64 (one host is usually given a whole
/// /64 to pick from) and an IPv4-mapped IPv6 address as its IPv4 address. A null address (the host does not know it)
/// counts as one address of its own.
/// </remarks>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public const int MaxFailuresPerAddress = 50;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, Failures> failures = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="userName"/> may not try a password from <paramref name="address"/> now.</summary>
    public bool IsBlocked(string userName, string? address)
    {
        var from = Source(address);
        return Count(PairKey(userName, from)) >= MaxFailures || Count(AddressKey(from)) >= MaxFailuresPerAddress;
    }

    public void RecordFailure(string userName, string? address)
    {
        var from = Source(address);
        Add(PairKey(userName, from));
        Add(AddressKey(from));
        if (failures.Count > 100_000)
        {
            Sweep();
        }
    }

    /// <summary>Forgets the user's failures from that address; those of the address itself stay (an attacker's own login must not reset them).</summary>
    public void RecordSuccess(string userName, string? address) => failures.TryRemove(PairKey(userName, Source(address)), out _);

    // Addresses hold no NUL, so "address NUL user" cannot be forged from another pair.
    private static string PairKey(string userName, string source) => source + "\0" + userName;

    private static string AddressKey(string source) => "a:" + source;

    private static string Source(string? address)
    {
        if (address is null || !IPAddress.TryParse(address, out var ip))
        {
            return address ?? "-";
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            return ip.MapToIPv4().ToString();
        }
        if (ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return ip.ToString();
        }
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

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
