using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.Core.P2P;

/// <summary>
/// The tracker: records which agents announce a blob and hands each asker a bounded random subset of the live ones,
/// never itself, so load spreads over every holder instead of the first. State lives in <see cref="IPeerDistributionStore"/>,
/// never in this process. No blob bytes pass through it.
/// </summary>
public sealed partial class PeerTracker(IPeerDistributionStore store, PeerTrackerOptions options, TimeProvider time)
{
    /// <param name="announcer">Who announces (<see cref="PeerAnnouncer"/>): the agent id counts only within it.</param>
    /// <param name="caller">The address the announcement comes from; null when unknown (then only a registry with
    /// <see cref="PeerTrackerOptions.TrustAnnouncedAddresses"/> accepts it).</param>
    /// <exception cref="RegistryException">INVALID_FIELD (400) for a malformed agent id, address or ttl; DENIED (403)
    /// for an address that is not the caller's own.</exception>
    public async Task AnnounceAsync(Digest blob, PeerAnnouncer announcer, string? agentId, string? address, TimeSpan ttl, IPAddress? caller, CancellationToken cancellationToken)
    {
        var agent = announcer.Scope(CheckAgentId(agentId));
        if (!IsWellFormedAddress(address))
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "address must be host:port or https://host:port", new { field = "address" });
        }
        if (ttl <= TimeSpan.Zero || ttl > options.MaxTtl)
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, $"ttl must be between 1 and {(int)options.MaxTtl.TotalSeconds} seconds", new { field = "ttl" });
        }
        if (!options.TrustAnnouncedAddresses && !IsCallersOwn(address, caller))
        {
            throw new RegistryException(RegistryErrorCode.Denied,
                "an agent announces its own address: an IP literal equal to the address its request comes from", new { field = "address" });
        }
        var now = time.GetUtcNow();
        // Each announcement sweeps its blob's stale rows, so the table stays bounded by live agents without a scan job.
        await store.DeleteExpiredAsync(blob, now, cancellationToken);
        await store.AnnounceAsync(new PeerAnnouncement(blob, agent, address, now + ttl), cancellationToken);
    }

    private static bool IsCallersOwn(string address, IPAddress? caller) =>
        caller is not null && IPEndPoint.TryParse(address.StartsWith(TlsScheme, StringComparison.Ordinal) ? address[TlsScheme.Length..] : address, out var announced) && Normal(announced.Address).Equals(Normal(caller));

    /// <summary>
    /// Whether <paramref name="address"/> is what an agent may announce: <c>host:port</c> or <c>https://host:port</c>, a
    /// DNS name, IPv4 or bracketed IPv6, at most 255 characters. Agents check the tracker's answers by it too, before an
    /// address becomes part of a URL.
    /// </summary>
    public static bool IsWellFormedAddress([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? address) =>
        address is { Length: <= 255 } && AddressPattern().IsMatch(address);

    /// <summary>The prefix of an announced address whose agent serves pieces over TLS.</summary>
    public const string TlsScheme = "https://";

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>At most <see cref="PeerTrackerOptions.MaxPeers"/> live holders of the blob in random order, without <paramref name="askingAgent"/>.</summary>
    /// <param name="askingAgent">The asker's agent id, left out of the answer; null when the asker is not an agent.</param>
    /// <param name="asker">Who asks: <paramref name="askingAgent"/> is that announcer's agent id.</param>
    /// <returns>Announcements whose <see cref="PeerAnnouncement.AgentId"/> is the tracker's scoped id, not the announced one.</returns>
    public async Task<IReadOnlyList<PeerAnnouncement>> SelectPeersAsync(Digest blob, PeerAnnouncer asker, string? askingAgent, CancellationToken cancellationToken)
    {
        if (askingAgent is not null)
        {
            askingAgent = asker.Scope(CheckAgentId(askingAgent));
        }
        var live = await store.ListLiveAsync(blob, time.GetUtcNow(), options.Candidates, cancellationToken);
        var candidates = live.Where(p => p.AgentId != askingAgent).ToArray();
        Random.Shared.Shuffle(candidates);
        return candidates.Take(options.MaxPeers).ToList();
    }

    private static string CheckAgentId(string? agentId) => agentId is { Length: > 0 and <= 64 } && AgentIdPattern().IsMatch(agentId)
        ? agentId
        : throw new RegistryException(RegistryErrorCode.InvalidField, "agent must be 1 to 64 letters, digits, '-', '_' or '.'", new { field = "agent" });

    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z")]
    private static partial Regex AgentIdPattern();

    // A DNS name, IPv4 or bracketed IPv6, then a port: what an agent's peer endpoint is reachable at; "https://" in
    // front for an agent serving its pieces over TLS.
    [GeneratedRegex(@"^(https://)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}\z")]
    private static partial Regex AddressPattern();
}
