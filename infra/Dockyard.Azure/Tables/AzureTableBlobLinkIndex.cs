using Azure.Data.Tables;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The <c>bloblinks</c> table: PartitionKey = repository, RowKey = digest, properties Size and LinkedAt (absent in rows
/// written before garbage collection: linked long ago). Each link also has a reverse row (see <see cref="BlobLinkRefs"/>).
/// </summary>
internal sealed class AzureTableBlobLinkIndex(AzureTables tables) : IBlobLinkIndex
{
    private readonly BlobLinkRefs refs = new(tables);

    private TableClient Table => tables["bloblinks"];

    public async Task LinkAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        // The repository first: a crash in between leaves an empty repository listed, never an unlisted link.
        await AzureTableRepositoryIndex.EnsureAsync(tables, repository, cancellationToken);
        var (partition, row) = Keys(repository, digest);
        // Reverse row before and after the forward row: see BlobLinkRefs for why both.
        await refs.WriteAsync(partition, row, cancellationToken);
        await Table.UpsertEntityAsync(new TableEntity(partition, row) { ["Size"] = size, ["LinkedAt"] = AzureTables.Time(DateTimeOffset.UtcNow) },
            TableUpdateMode.Replace, cancellationToken);
        await refs.WriteAsync(partition, row, cancellationToken);
    }

    public async Task<long?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken) =>
        (await GetLinkAsync(repository, digest, cancellationToken))?.Size;

    public async Task<BlobLink?> GetLinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var (partition, row) = Keys(repository, digest);
        return await AzureTables.GetAsync(Table, partition, row, cancellationToken) is { } entity ? Read(digest, entity) : null;
    }

    public async Task<bool> UnlinkAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        var (partition, row) = Keys(repository, digest);
        var removed = await AzureTables.DeleteAsync(Table, partition, row, cancellationToken);
        await refs.ForgetAsync(partition, row, cancellationToken);
        return removed;
    }

    public async Task<bool> UnlinkIfStaleAsync(RepositoryName repository, Digest digest, DateTimeOffset linkedBefore, CancellationToken cancellationToken)
    {
        var (partition, row) = Keys(repository, digest);
        // Deleting only the version read makes it atomic: a re-link in between changes the ETag and the delete fails.
        if (await AzureTables.GetAsync(Table, partition, row, cancellationToken) is not { } entity
            || Read(digest, entity).LinkedAt >= linkedBefore
            || !await AzureTables.DeleteAsync(Table, partition, row, cancellationToken, entity.ETag))
        {
            return false;
        }
        await refs.ForgetAsync(partition, row, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<BlobLink>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken)
    {
        var filter = AzureTables.Rows(TableKey.Escape(repository.Value), after is null ? null : TableKey.Escape(after));
        var rows = await AzureTables.QueryAsync(Table, filter, limit, cancellationToken);
        return [.. rows.Select(r => Read(Digest.Parse(TableKey.Unescape(r.RowKey)), r))];
    }

    public Task<bool> IsLinkedAnywhereAsync(Digest digest, CancellationToken cancellationToken) => refs.IsLinkedAnywhereAsync(digest, cancellationToken);

    public Task<long> SumSizesAsync(string @namespace, CancellationToken cancellationToken) =>
        AzureTables.SumAsync(Table, AzureTables.Namespace(@namespace), "Size", cancellationToken);

    /// <summary>Deletes every link of the repository, then their reverse rows (deleting the repository).</summary>
    internal static async Task DeleteRepositoryLinksAsync(AzureTables tables, string partition, CancellationToken cancellationToken)
    {
        var links = await AzureTables.QueryAsync(tables["bloblinks"], AzureTables.Rows(partition), null, cancellationToken);
        await AzureTables.DeleteAllAsync(tables["bloblinks"], AzureTables.Rows(partition), cancellationToken);
        var refs = new BlobLinkRefs(tables);
        foreach (var link in links)
        {
            await refs.ForgetAsync(partition, link.RowKey, cancellationToken);
        }
    }

    private static (string Partition, string Row) Keys(RepositoryName repository, Digest digest) =>
        (TableKey.Escape(repository.Value), TableKey.Escape(digest.Value));

    private static BlobLink Read(Digest digest, TableEntity row) =>
        new(digest, row.GetInt64("Size") ?? 0, row.GetString("LinkedAt") is { } at ? AzureTables.ParseTime(at) : DateTimeOffset.UnixEpoch);
}
