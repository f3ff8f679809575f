using Azure.Data.Tables;
using Dockyard.Core.Accounts;

namespace Dockyard.Azure.Tables;

/// <summary>
/// The <c>sessionkeys</c> table (<see cref="ISessionKeyStore"/>): one partition <c>keys</c> (a key ring holds a few
/// keys a quarter), RowKey = escaped key name, Content. Rows are only added, so an add that loses to another is a 409.
/// </summary>
public sealed class AzureTableSessionKeyStore(AzureTables tables) : ISessionKeyStore
{
    private const string Partition = "keys";

    private TableClient Table => tables["sessionkeys"];

    public async Task<IReadOnlyList<StoredSessionKey>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Table, AzureTables.Rows(Partition), null, cancellationToken))
            .Select(row => new StoredSessionKey(TableKey.Unescape(row.RowKey), row.GetString("Content")))];

    public Task<bool> TryAddAsync(StoredSessionKey key, CancellationToken cancellationToken) =>
        AzureTables.TryAddAsync(Table, new TableEntity(Partition, TableKey.Escape(key.Name)) { ["Content"] = key.Content }, cancellationToken);
}
