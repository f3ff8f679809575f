using Dockyard.Core.P2P;

namespace Dockyard.Hosting.Configuration;

/// <summary><c>[p2p]</c>: the tracker, piece hashes and blob tokens the registry serves to <c>launcher agent</c>s (docs/p2p.md).</summary>
public sealed class P2PSettings
{
    /// <summary><c>enabled</c>: serve <c>/p2p/v1</c> (true by default); false answers 404 there and agents pull every blob from the registry.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>piecesize</c>: KiB per piece (default 4096). Every node must use the same: hashes are recorded per piece size.</summary>
    public int PieceSize { get; set; } = BlobPieces.DefaultPieceSize / 1024;

    /// <summary><c>peers</c>: the most peers one tracker answer names (default 50).</summary>
    public int Peers { get; set; } = 50;

    /// <summary><c>announcettl</c>: the longest an announcement counts, seconds (default 600); agents ask for less and re-announce at half.</summary>
    public int AnnounceTtl { get; set; } = 600;

    /// <summary><c>tokenlifetime</c>: seconds a blob token is good for (default 300): one pull of a large layer, revoked by expiry.</summary>
    public int TokenLifetime { get; set; } = 300;

    /// <summary>
    /// <c>trustannouncedaddresses</c>: false (default) accepts an announcement only for the caller's own IP; true takes any
    /// host:port as announced, for agents behind NAT, agents advertising names, or a registry that sees one proxy's
    /// address for every agent (behind the Functions host without a trusted proxy).
    /// </summary>
    public bool TrustAnnouncedAddresses { get; set; }

    private const int MinPieceKiB = 64, MaxPieceKiB = 64 * 1024;

    public PeerTrackerOptions ToOptions() => new()
    {
        Enabled = Enabled,
        PieceSize = PieceSize * 1024,
        MaxPeers = Peers,
        MaxTtl = TimeSpan.FromSeconds(AnnounceTtl),
        BlobTokenLifetime = TimeSpan.FromSeconds(TokenLifetime),
        TrustAnnouncedAddresses = TrustAnnouncedAddresses,
    };

    /// <summary>The faults of this section, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (PieceSize is < MinPieceKiB or > MaxPieceKiB)
        {
            yield return $"[p2p] piecesize = {PieceSize}: KiB between {MinPieceKiB} and {MaxPieceKiB}";
        }
        if (Peers is < 1 or > 100)
        {
            yield return $"[p2p] peers = {Peers}: between 1 and 100";
        }
        if (AnnounceTtl is < 10 or > 86400)
        {
            yield return $"[p2p] announcettl = {AnnounceTtl}: seconds between 10 and 86400";
        }
        if (TokenLifetime is < 30 or > 86400)
        {
            yield return $"[p2p] tokenlifetime = {TokenLifetime}: seconds between 30 and 86400 (a token must outlast one layer's pull)";
        }
    }
}
