using Azure.Data.Tables;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tables;

/// <summary>The <c>repositories</c> table: one fixed partition, RowKey = the escaped name, so a range query lists in name order.</summary>
internal sealed class AzureTableRepositoryIndex(AzureTables tables) : IRepositoryIndex
{
    private const string Partition = "r";

    private TableClient Table => tables["repositories"];

    public Task EnsureAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        EnsureAsync(tables, repository, cancellationToken);

    public async Task<bool> ExistsAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, Partition, TableKey.Escape(repository.Value), cancellationToken) is not null;

    public async Task<IReadOnlyList<string>> ListAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        var rows = await AzureTables.QueryAsync(Table, AzureTables.Rows(Partition, after is null ? null : TableKey.Escape(after)), limit, cancellationToken);
        return [.. rows.Select(r => TableKey.Unescape(r.RowKey))];
    }

    public async Task<bool> DeleteAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        // The repository's rows go first and its entry last: a crash in between leaves a listed repository with
        // fewer rows, which deleting again finishes, never rows of a repository that is no longer listed.
        var partition = TableKey.Escape(repository.Value);
        foreach (var kind in new[] { "manifests", "uploads" })
        {
            await AzureTables.DeleteAllAsync(tables[kind], AzureTables.Rows(partition), cancellationToken);
        }
        await AzureTableBlobLinkIndex.DeleteRepositoryLinksAsync(tables, partition, cancellationToken);
        return await AzureTables.DeleteAsync(Table, Partition, partition, cancellationToken);
    }

    /// <summary>Records the repository (idempotent); the other indexes call it before they write into a repository.</summary>
    internal static Task EnsureAsync(AzureTables tables, RepositoryName repository, CancellationToken cancellationToken) =>
        tables["repositories"].UpsertEntityAsync(new TableEntity(Partition, TableKey.Escape(repository.Value)), TableUpdateMode.Merge, cancellationToken);
}
