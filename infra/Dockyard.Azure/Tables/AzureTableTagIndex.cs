using Azure;
using Azure.Data.Tables;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tables;

/// <summary>Tags: rows <c>t␣!tag</c> of the repository's partition in the <c>manifests</c> table, property Digest.</summary>
internal sealed class AzureTableTagIndex(AzureTables tables) : ITagIndex
{
    internal const string Kind = "t";

    private TableClient Table => tables["manifests"];

    public async Task<Digest?> GetAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, TableKey.Escape(repository.Value), TableKey.Join(Kind, tag), cancellationToken) is { } row
            ? Digest.Parse(row.GetString("Digest"))
            : null;

    /// <summary>
    /// One entity group transaction: the tag row and a merge of the manifest row's TouchedAt. The merge fails (404)
    /// when the manifest is gone, and then the tag is not written either; the changed ETag is what makes a concurrent
    /// <see cref="AzureTableManifestIndex.DeleteIfUnusedAsync"/> fail.
    /// </summary>
    public async Task<bool> SetAsync(RepositoryName repository, string tag, Digest digest, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(repository.Value);
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, TableKey.Join(Kind, tag)) { ["Digest"] = digest.Value }),
            new(TableTransactionActionType.UpdateMerge, AzureTableManifestIndex.Touch(partition, digest), ETag.All),
        ];
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public Task<bool> DeleteAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        AzureTables.DeleteAsync(Table, TableKey.Escape(repository.Value), TableKey.Join(Kind, tag), cancellationToken);

    public async Task<IReadOnlyList<string>> ListAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(repository.Value);
        var (low, high) = TableKey.Range(Kind);
        var filter = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {low} and RowKey lt {high}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {TableKey.Join(Kind, after)} and RowKey lt {high}");
        var rows = await AzureTables.QueryAsync(Table, filter, limit, cancellationToken);
        return [.. rows.Select(r => TableKey.Split(r.RowKey)[1])];
    }
}
