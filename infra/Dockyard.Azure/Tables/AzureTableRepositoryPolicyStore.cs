using Azure;
using Azure.Data.Tables;
using Dockyard.Core.Accounts;

namespace Dockyard.Azure.Tables;

/// <summary>The <c>policies</c> table: PartitionKey = namespace, RowKey = the repository name inside it.</summary>
internal sealed class AzureTableRepositoryPolicyStore(AzureTables tables) : IRepositoryPolicyStore
{
    private TableClient Table => tables["policies"];

    public async Task<RepositoryPolicy?> GetAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, TableKey.Escape(@namespace), TableKey.Escape(name), cancellationToken) is { } row ? Map(row) : null;

    public Task<bool> TryCreateAsync(RepositoryPolicy policy, CancellationToken cancellationToken) =>
        AzureTables.TryAddAsync(Table, Row(policy), cancellationToken);

    public async Task<bool> UpdateAsync(RepositoryPolicy policy, CancellationToken cancellationToken)
    {
        while (true)
        {
            var row = await AzureTables.GetAsync(Table, TableKey.Escape(policy.Namespace), TableKey.Escape(policy.Name), cancellationToken);
            if (row is null)
            {
                return false;
            }
            try
            {
                await Table.UpdateEntityAsync(Row(policy with { CreatedAt = Map(row).CreatedAt }), row.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
            }
        }
    }

    public Task<bool> DeleteAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        AzureTables.DeleteAsync(Table, TableKey.Escape(@namespace), TableKey.Escape(name), cancellationToken);

    public async Task<IReadOnlyList<RepositoryPolicy>> ListAsync(string @namespace, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Table, AzureTables.Rows(TableKey.Escape(@namespace)), null, cancellationToken)).Select(Map)];

    private static TableEntity Row(RepositoryPolicy policy) => new(TableKey.Escape(policy.Namespace), TableKey.Escape(policy.Name))
    {
        ["IsPublic"] = policy.IsPublic,
        ["Comment"] = policy.Comment,
        ["CreatedAt"] = AzureTables.Time(policy.CreatedAt),
        ["Owner"] = policy.Owner,
    };

    private static RepositoryPolicy Map(TableEntity row) => new(TableKey.Unescape(row.PartitionKey), TableKey.Unescape(row.RowKey),
        row.GetBoolean("IsPublic") ?? false, row.GetString("Comment"), AzureTables.ParseTime(row.GetString("CreatedAt")),
        row.GetString("Owner"));
}
