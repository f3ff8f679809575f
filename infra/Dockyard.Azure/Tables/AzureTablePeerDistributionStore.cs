using Azure.Data.Tables;
using Dockyard.Core.Names;
using Dockyard.Core.P2P;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The <c>peers</c> table (PartitionKey = blob digest, RowKey = agent id; Address, ExpiresAt), so one blob's swarm is
/// one partition and an announcement an upsert; and the <c>pieces</c> table (PartitionKey = blob digest, RowKey = piece
/// size; Size and the packed hashes as <see cref="LongText"/>: 2,500 pieces of a 10 GiB layer fit one entity).
/// </summary>
public sealed class AzureTablePeerDistributionStore(AzureTables tables) : IPeerDistributionStore
{
    private TableClient Peers => tables["peers"];

    private TableClient Pieces => tables["pieces"];

    public async Task AnnounceAsync(PeerAnnouncement announcement, CancellationToken cancellationToken) =>
        await Peers.UpsertEntityAsync(new TableEntity(TableKey.Escape(announcement.Blob.Value), TableKey.Escape(announcement.AgentId))
        {
            ["Address"] = announcement.Address,
            ["ExpiresAt"] = announcement.ExpiresAt,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<PeerAnnouncement>> ListLiveAsync(Digest blob, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Peers, TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Escape(blob.Value)} and ExpiresAt gt {now}"), limit, cancellationToken))
            .Select(row => new PeerAnnouncement(blob, TableKey.Unescape(row.RowKey), row.GetString("Address"), row.GetDateTimeOffset("ExpiresAt") ?? now))];

    public async Task<int> DeleteExpiredAsync(Digest blob, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = await AzureTables.QueryAsync(Peers, TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Escape(blob.Value)} and ExpiresAt le {now}"), 100, cancellationToken);
        var deleted = 0;
        foreach (var row in expired)
        {
            // Only the version read: an agent that re-announced meanwhile keeps its new row.
            deleted += await AzureTables.DeleteAsync(Peers, row.PartitionKey, row.RowKey, cancellationToken, row.ETag) ? 1 : 0;
        }
        return deleted;
    }

    public async Task<BlobPieces?> GetPiecesAsync(Digest blob, int pieceSize, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Pieces, TableKey.Escape(blob.Value), pieceSize.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken) is { } row
            ? BlobPieces.Unpack(blob, row.GetInt64("Size") ?? 0, pieceSize, LongText.Read(row, "Hashes") ?? "")
            : null;

    public async Task PutPiecesAsync(BlobPieces pieces, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKey.Escape(pieces.Blob.Value), pieces.PieceSize.ToString(System.Globalization.CultureInfo.InvariantCulture)) { ["Size"] = pieces.Size };
        LongText.Write(entity, "Hashes", pieces.PackedHashes);
        await Pieces.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }
}
