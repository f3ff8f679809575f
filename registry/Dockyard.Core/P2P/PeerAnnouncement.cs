using Dockyard.Core.Names;

namespace Dockyard.Core.P2P;

/// <summary>
/// An agent's claim that it holds (or is fetching) pieces of <paramref name="Blob"/> and serves them at
/// <paramref name="Address"/> (<c>host:port</c> of its peer endpoint, <c>https://host:port</c> when it serves over TLS) until <paramref name="ExpiresAt"/>.
/// </summary>
/// <param name="AgentId">The agent's own stable id (letters, digits, '-', '_', '.'); one announcement per (blob, agent).</param>
public sealed record PeerAnnouncement(Digest Blob, string AgentId, string Address, DateTimeOffset ExpiresAt);
