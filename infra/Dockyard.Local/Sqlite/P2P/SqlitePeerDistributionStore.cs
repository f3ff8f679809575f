using Dockyard.Core.Names;
using Dockyard.Core.P2P;

namespace Dockyard.Local.Sqlite.P2P;

/// <summary>The tracker's announcements and the piece hashes (<see cref="IPeerDistributionStore"/>) in the same SQLite file as the registry metadata.</summary>
public sealed class SqlitePeerDistributionStore : IPeerDistributionStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS peer_announcements (
            digest TEXT NOT NULL, agent TEXT NOT NULL, address TEXT NOT NULL, expires_at TEXT NOT NULL,
            PRIMARY KEY (digest, agent)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS blob_pieces (
            digest TEXT NOT NULL, piece_size INTEGER NOT NULL, size INTEGER NOT NULL, hashes TEXT NOT NULL,
            PRIMARY KEY (digest, piece_size)) WITHOUT ROWID;
        """;

    private readonly SqliteDatabase db;

    public SqlitePeerDistributionStore(SqliteDatabase db)
    {
        this.db = db;
        db.EnsureSchema(Schema);
    }

    public Task AnnounceAsync(PeerAnnouncement announcement, CancellationToken cancellationToken) =>
        db.ExecuteAsync("INSERT OR REPLACE INTO peer_announcements (digest, agent, address, expires_at) VALUES ($b, $a, $ad, $e)", cancellationToken,
            ("$b", announcement.Blob.Value), ("$a", announcement.AgentId), ("$ad", announcement.Address), ("$e", SqliteText.Time(announcement.ExpiresAt)));

    public async Task<IReadOnlyList<PeerAnnouncement>> ListLiveAsync(Digest blob, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT digest, agent, address, expires_at FROM peer_announcements WHERE digest = $b AND expires_at > $now LIMIT $limit",
            r => new PeerAnnouncement(Digest.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), SqliteText.ParseTime(r.GetString(3))), cancellationToken,
            ("$b", blob.Value), ("$now", SqliteText.Time(now)), ("$limit", limit));

    public Task<int> DeleteExpiredAsync(Digest blob, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM peer_announcements WHERE digest = $b AND expires_at <= $now", cancellationToken,
            ("$b", blob.Value), ("$now", SqliteText.Time(now)));

    public Task<BlobPieces?> GetPiecesAsync(Digest blob, int pieceSize, CancellationToken cancellationToken) =>
        db.QuerySingleAsync("SELECT size, hashes FROM blob_pieces WHERE digest = $b AND piece_size = $p",
            r => BlobPieces.Unpack(blob, r.GetInt64(0), pieceSize, r.GetString(1)), cancellationToken, ("$b", blob.Value), ("$p", pieceSize));

    public Task PutPiecesAsync(BlobPieces pieces, CancellationToken cancellationToken) =>
        db.ExecuteAsync("INSERT OR REPLACE INTO blob_pieces (digest, piece_size, size, hashes) VALUES ($b, $p, $s, $h)", cancellationToken,
            ("$b", pieces.Blob.Value), ("$p", pieces.PieceSize), ("$s", pieces.Size), ("$h", pieces.PackedHashes));
}
