namespace Dockyard.Core.P2P;

/// <summary>How the tracker hands out peers and how long what it is told counts. Defaults suit a cluster of thousands.</summary>
public sealed record PeerTrackerOptions
{
    /// <summary>
    /// The most peers one answer names: a bounded random subset keeps the graph connected without everyone on one
    /// seeder. 50 names the whole swarm of most clusters' pulls, so agents agree on who takes which piece from the
    /// registry (with 8, sixteen agents each saw half the swarm and took pieces twice).
    /// </summary>
    public int MaxPeers { get; init; } = 50;

    /// <summary>How many live announcements a selection draws from (the store's page); the random subset is picked among them.</summary>
    public int Candidates { get; init; } = 200;

    /// <summary>The longest an announcement counts; agents re-announce before it runs out.</summary>
    public TimeSpan MaxTtl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// False (the default): an agent may announce only its own address, an IP literal equal to the address its request
    /// comes from, so an account with pull access cannot point every agent of a swarm at a host of its choosing. True
    /// for deployments where the registry does not see agents' addresses (an untrusted proxy, NAT) or agents advertise
    /// host names; then any syntactically valid host:port is accepted.
    /// </summary>
    public bool TrustAnnouncedAddresses { get; init; }

    /// <summary>False: the registry serves no <c>/p2p/v1</c> route (404), so agents take every blob from it.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How long a blob token is good for: long enough for one pull of a large layer, short enough to be revoked by expiry.</summary>
    public TimeSpan BlobTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The piece size the registry cuts blobs into.</summary>
    public int PieceSize { get; init; } = BlobPieces.DefaultPieceSize;
}
