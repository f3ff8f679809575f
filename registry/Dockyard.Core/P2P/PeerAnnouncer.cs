using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Core.P2P;

/// <summary>
/// Who announces to the tracker: the signed-in account, or for an anonymous caller its address. An agent id counts
/// only within its announcer: the tracker keys announcements by <see cref="Scope"/>, a hash of both, so no other
/// account can replace, expire (re-announce with a 1 s ttl) or redirect another's agent, nor squat an id before it
/// is used; two accounts choosing one id get two announcements.
/// </summary>
public sealed class PeerAnnouncer
{
    private readonly string identity;

    private PeerAnnouncer(string identity) => this.identity = identity;

    /// <param name="account">The caller's account name; null or empty when the caller is anonymous.</param>
    /// <param name="address">The caller's address; null when unknown (anonymous callers then share one scope).</param>
    public static PeerAnnouncer Of(string? account, IPAddress? address) => account is { Length: > 0 }
        ? new("account\n" + account)
        : new("anonymous\n" + (address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address));

    /// <summary>
    /// The announcement's key at the tracker: 64 lowercase hex characters (it fits every store's agent column and
    /// passes the agent id syntax), the same for the same announcer and id, unrelated across announcers. It names
    /// no account, so a peer list does not tell its reader who else pulls the blob.
    /// </summary>
    public string Scope(string agentId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity + "\n" + agentId)));
}
