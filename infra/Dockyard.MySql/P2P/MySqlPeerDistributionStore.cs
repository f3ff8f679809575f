using Dockyard.Core.Names;
using Dockyard.Core.P2P;

namespace Dockyard.MySql.P2P;

/// <summary>The tracker's announcements and the piece hashes (<see cref="IPeerDistributionStore"/>) in the same database as the registry metadata.</summary>
public sealed class MySqlPeerDistributionStore(MySqlDatabase db) : IPeerDistributionStore
{
    public Task AnnounceAsync(PeerAnnouncement announcement, CancellationToken cancellationToken) =>
        db.ExecuteAsync("REPLACE INTO peer_announcements (digest, agent, address, expires_at) VALUES (@b, @a, @ad, @e)", cancellationToken,
            ("@b", announcement.Blob.Value), ("@a", announcement.AgentId), ("@ad", announcement.Address), ("@e", MySqlText.Time(announcement.ExpiresAt)));

    public async Task<IReadOnlyList<PeerAnnouncement>> ListLiveAsync(Digest blob, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT digest, agent, address, expires_at FROM peer_announcements WHERE digest = @b AND expires_at > @now LIMIT @limit",
            r => new PeerAnnouncement(Digest.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), MySqlText.ReadTime(r, 3)), cancellationToken,
            ("@b", blob.Value), ("@now", MySqlText.Time(now)), ("@limit", limit));

    public Task<int> DeleteExpiredAsync(Digest blob, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM peer_announcements WHERE digest = @b AND expires_at <= @now", cancellationToken,
            ("@b", blob.Value), ("@now", MySqlText.Time(now)));

    public Task<BlobPieces?> GetPiecesAsync(Digest blob, int pieceSize, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT size, hashes FROM blob_pieces WHERE digest = @b AND piece_size = @p",
            r => BlobPieces.Unpack(blob, r.GetInt64(0), pieceSize, r.GetString(1)), cancellationToken, ("@b", blob.Value), ("@p", pieceSize));

    public Task PutPiecesAsync(BlobPieces pieces, CancellationToken cancellationToken) =>
        db.ExecuteAsync("REPLACE INTO blob_pieces (digest, piece_size, size, hashes) VALUES (@b, @p, @s, @h)", cancellationToken,
            ("@b", pieces.Blob.Value), ("@p", pieces.PieceSize), ("@s", pieces.Size), ("@h", pieces.PackedHashes));
}
