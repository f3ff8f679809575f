using Azure.Data.Tables;
using Dockyard.Core.Collection;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The <c>gcruns</c> table (<see cref="ICollectionHistory"/>): one partition <c>runs</c>, RowKey =
/// <see cref="CollectionRunText.Key"/> (newest first), Content = the run as JSON. Trimming reads the few keys past the
/// newest <see cref="ICollectionHistory.Kept"/> and deletes them; a row another trim removed first is no error.
/// </summary>
public sealed class AzureTableCollectionHistory(AzureTables tables) : ICollectionHistory
{
    private const string Partition = "runs";

    private TableClient Table => tables["gcruns"];

    public async Task RecordAsync(CollectionRun run, CancellationToken cancellationToken)
    {
        await AzureTables.TryAddAsync(Table, new TableEntity(Partition, CollectionRunText.Key(run)) { ["Content"] = CollectionRunText.Format(run) }, cancellationToken);
        var rows = await AzureTables.QueryAsync(Table, AzureTables.Rows(Partition), null, cancellationToken);
        foreach (var old in rows.Skip(ICollectionHistory.Kept))
        {
            await AzureTables.DeleteAsync(Table, Partition, old.RowKey, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<CollectionRun>> ListAsync(int limit, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Table, AzureTables.Rows(Partition), limit, cancellationToken))
            .Select(row => CollectionRunText.Parse(row.GetString("Content")))];
}
