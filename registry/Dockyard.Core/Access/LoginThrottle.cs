using System.Net;
using System.Net.Sockets;

namespace Dockyard.Core.Access;

/// <summary>
/// Slows password guessing without letting anyone lock a user out. Failures are counted per user and address together
/// (after <see cref="MaxFailures"/> within <see cref="Window"/> that user is refused from that address) and per address
/// (after <see cref="MaxFailuresPerAddress"/>, higher since many users may share a NAT or a proxy, the address is refused
/// for every name). A user's failures from other addresses never block them: an attacker elsewhere cannot lock the user,
/// or the administrator, out of their own address. Guessing one user from many addresses is slowed instead by
/// <see cref="PasswordCheckSlots"/>, which checks that user's passwords one at a time. The counts live in
/// <see cref="ILoginFailureCounts"/>: this node's memory by default (a cluster then multiplies the allowance by its size,
/// which still defeats online guessing), or shared by every node (<c>[db] redis</c>), so the allowance is the cluster's.
/// </summary>
/// <remarks>
/// Addresses are counted as given, except that an IPv6 address counts as its /64 (one host is usually given a whole
/// /64 to pick from) and an IPv4-mapped IPv6 address as its IPv4 address. A null address (the host does not know it)
/// counts as one address of its own.
/// </remarks>
/// <param name="counts">Where failures are counted; null: this process's memory (<see cref="InProcessLoginFailureCounts"/>).</param>
public sealed class LoginThrottle(TimeProvider time, ILoginFailureCounts? counts = null)
{
    public const int MaxFailures = 10;
    public const int MaxFailuresPerAddress = 50;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly ILoginFailureCounts failures = counts ?? new InProcessLoginFailureCounts(time);

    /// <summary>True when <paramref name="userName"/> may not try a password from <paramref name="address"/> now.</summary>
    public async Task<bool> IsBlockedAsync(string userName, string? address, CancellationToken cancellationToken)
    {
        var from = Source(address);
        var found = await failures.CountAsync([PairKey(userName, from), AddressKey(from)], cancellationToken);
        return found[0] >= MaxFailures || found[1] >= MaxFailuresPerAddress;
    }

    public Task RecordFailureAsync(string userName, string? address, CancellationToken cancellationToken)
    {
        var from = Source(address);
        return failures.AddAsync([PairKey(userName, from), AddressKey(from)], Window, cancellationToken);
    }

    /// <summary>Forgets the user's failures from that address; those of the address itself stay (an attacker's own login must not reset them).</summary>
    public Task RecordSuccessAsync(string userName, string? address, CancellationToken cancellationToken) =>
        failures.ForgetAsync(PairKey(userName, Source(address)), cancellationToken);

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
}
