using Azure;
using Azure.Data.Tables;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The <c>uploads</c> table: PartitionKey = repository, RowKey = session id; properties Size, Parts ("id:size"
/// pairs joined by ',', see <see cref="LongText"/>) and StartedAt. The conditional commit of a part is a replace
/// with the ETag that was read (If-Match): of two nodes that read the same version only one write succeeds.
/// </summary>
internal sealed class AzureTableUploadSessionStore(AzureTables tables) : IUploadSessionStore
{
    private TableClient Table => tables["uploads"];

    public async Task CreateAsync(UploadSession session, CancellationToken cancellationToken)
    {
        await AzureTableRepositoryIndex.EnsureAsync(tables, session.Repository, cancellationToken);
        var row = new TableEntity(TableKey.Escape(session.Repository.Value), TableKey.Escape(session.Id))
        {
            ["Size"] = session.Size,
            ["StartedAt"] = AzureTables.Time(session.StartedAt),
            ["Client"] = session.Client,
        };
        LongText.Write(row, "Parts", UploadPartsText.Format(session.Parts));
        await Table.AddEntityAsync(row, cancellationToken);
    }

    public async Task<UploadSession?> GetAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, TableKey.Escape(repository.Value), TableKey.Escape(id), cancellationToken) is { } row
            ? Map(row, repository)
            : null;

    public async Task<bool> TryAdvanceAsync(RepositoryName repository, string id, long expectedSize, UploadPart part, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part.Size);
        var formatted = UploadPartsText.FormatPart(part);
        var row = await AzureTables.GetAsync(Table, TableKey.Escape(repository.Value), TableKey.Escape(id), cancellationToken);
        if (row is null || row.GetInt64("Size") != expectedSize)
        {
            return false;
        }
        var parts = LongText.Read(row, "Parts") ?? "";
        var next = new TableEntity(row.PartitionKey, row.RowKey)
        {
            ["Size"] = expectedSize + part.Size,
            ["StartedAt"] = row.GetString("StartedAt"),
            ["Client"] = row.GetString("Client"),
        };
        LongText.Write(next, "Parts", parts.Length == 0 ? formatted : parts + "," + formatted);
        try
        {
            await Table.UpdateEntityAsync(next, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // 412: another part was committed (or the session rewritten) since the read; 404: deleted meanwhile.
            return false;
        }
    }

    public Task<bool> DeleteAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        AzureTables.DeleteAsync(Table, TableKey.Escape(repository.Value), TableKey.Escape(id), cancellationToken);

    public async Task<IReadOnlyList<UploadSession>> ListStartedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        // Tables has no secondary index: this scans the (small) table of unfinished uploads with a server-side
        // filter and sorts here. Purging runs rarely, so a scan is cheaper than keeping an index row consistent.
        var rows = await AzureTables.QueryAsync(Table, TableClient.CreateQueryFilter($"StartedAt lt {AzureTables.Time(before)}"), null, cancellationToken);
        return [.. rows.OrderBy(r => r.GetString("StartedAt"), StringComparer.Ordinal)
            .Take(limit)
            .Select(r => Map(r, RepositoryName.Parse(TableKey.Unescape(r.PartitionKey))))];
    }

    public Task<long> SumSizesAsync(string @namespace, CancellationToken cancellationToken) =>
        AzureTables.SumAsync(Table, AzureTables.Namespace(@namespace), "Size", cancellationToken);

    // A scan of the (small) table of unfinished uploads with a server-side filter, as for purging.
    public async Task<int> CountByClientAsync(string client, int atMost, CancellationToken cancellationToken) =>
        (await AzureTables.QueryAsync(Table, TableClient.CreateQueryFilter($"Client eq {client}"), atMost, cancellationToken)).Count;

    private static UploadSession Map(TableEntity row, RepositoryName repository) =>
        new(TableKey.Unescape(row.RowKey), repository, UploadPartsText.Parse(LongText.Read(row, "Parts") ?? ""), AzureTables.ParseTime(row.GetString("StartedAt")),
            row.GetString("Client"));
}
