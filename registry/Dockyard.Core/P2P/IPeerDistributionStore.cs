using Dockyard.Core.Names;

namespace Dockyard.Core.P2P;

/// <summary>
/// The shared state of peer-to-peer distribution, kept in the metadata store so that every node (and the Functions
/// app) answers alike: the tracker's peer announcements, keyed by (blob, agent), and each blob's piece hashes.
/// Keyed upserts and listings scoped by one blob only, so SQLite, Azure Tables and MySQL can implement it.
/// </summary>
public interface IPeerDistributionStore
{
    /// <summary>Records the announcement, replacing the same agent's earlier one for the blob (its address and expiry).</summary>
    Task AnnounceAsync(PeerAnnouncement announcement, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> announcements of <paramref name="blob"/> that expire after <paramref name="now"/>,
    /// in no particular order; empty when no agent announced it. Expired ones are never returned.
    /// </summary>
    Task<IReadOnlyList<PeerAnnouncement>> ListLiveAsync(Digest blob, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the blob's announcements that expired at or before <paramref name="now"/>; returns how many went.</summary>
    Task<int> DeleteExpiredAsync(Digest blob, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The piece hashes recorded for the blob at that piece size; null when none were recorded.</summary>
    Task<BlobPieces?> GetPiecesAsync(Digest blob, int pieceSize, CancellationToken cancellationToken);

    /// <summary>Records a blob's piece hashes (the same blob and size always give the same ones, so a second write changes nothing).</summary>
    Task PutPiecesAsync(BlobPieces pieces, CancellationToken cancellationToken);
}
