using Azure;
using Azure.Data.Tables;
using Dockyard.Core.Accounts;

namespace Dockyard.Azure.Tables;

/// <summary>Users: rows of Kind <c>user</c> in the <c>namespaces</c> table.</summary>
internal sealed class AzureTableUserStore(AzureTables tables) : IUserStore
{
    internal const string Partition = "n";
    internal const string UserKind = "user";
    internal const string OrganizationKind = "organization";

    private TableClient Table => tables["namespaces"];

    public async Task<User?> GetAsync(string name, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, Partition, TableKey.Escape(name), cancellationToken) is { } row && row.GetString("Kind") == UserKind
            ? Map(row)
            : null;

    public Task<bool> TryCreateAsync(User user, CancellationToken cancellationToken) =>
        AzureTables.TryAddAsync(Table, Row(user), cancellationToken);

    public async Task<bool> UpdateAsync(User user, CancellationToken cancellationToken)
    {
        while (true)
        {
            var row = await AzureTables.GetAsync(Table, Partition, TableKey.Escape(user.Name), cancellationToken);
            if (row is null || row.GetString("Kind") != UserKind)
            {
                return false;
            }
            try
            {
                // Replaced only in the version read, so a name deleted and re-claimed meanwhile is not overwritten.
                await Table.UpdateEntityAsync(Row(user with { CreatedAt = Map(row).CreatedAt }), row.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
            }
        }
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var row = await AzureTables.GetAsync(Table, Partition, TableKey.Escape(name), cancellationToken);
        if (row is null || row.GetString("Kind") != UserKind)
        {
            return false;
        }
        // Memberships live in each organization's partition: every organization is asked (an administrator's rare
        // act), the name goes last so that a crash in between leaves a user that deleting again finishes.
        var organizations = new AzureTableOrganizationStore(tables);
        string? after = null;
        while (await ListKindAsync(tables, OrganizationKind, after, 1000, cancellationToken) is { Count: > 0 } page)
        {
            foreach (var organization in page)
            {
                await organizations.RemoveMemberAsync(TableKey.Unescape(organization.RowKey), name, cancellationToken);
            }
            after = TableKey.Unescape(page[^1].RowKey);
        }
        return await AzureTables.DeleteAsync(Table, Partition, row.RowKey, cancellationToken);
    }

    public async Task<IReadOnlyList<User>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        [.. (await ListKindAsync(tables, UserKind, after, limit, cancellationToken)).Select(Map)];

    /// <summary>Up to <paramref name="limit"/> namespace rows of one kind in name order, strictly after <paramref name="after"/> (null: from the start).</summary>
    internal static Task<List<TableEntity>> ListKindAsync(AzureTables tables, string kind, string? after, int limit, CancellationToken cancellationToken) =>
        AzureTables.QueryAsync(tables["namespaces"],
            AzureTables.Rows(Partition, after is null ? null : TableKey.Escape(after)) + " and " + TableClient.CreateQueryFilter($"Kind eq {kind}"),
            limit, cancellationToken);

    private static TableEntity Row(User user) => new(Partition, TableKey.Escape(user.Name))
    {
        ["Kind"] = UserKind,
        ["Email"] = user.Email,
        ["PasswordHash"] = user.PasswordHash,
        ["RealName"] = user.RealName,
        ["Comment"] = user.Comment,
        ["IsAdmin"] = user.IsAdmin,
        ["Source"] = user.Source,
        ["CreatedAt"] = AzureTables.Time(user.CreatedAt),
    };

    private static User Map(TableEntity row) => new(TableKey.Unescape(row.RowKey), row.GetString("Email"), row.GetString("PasswordHash"),
        row.GetString("RealName"), row.GetString("Comment"), row.GetBoolean("IsAdmin") ?? false, row.GetString("Source"),
        AzureTables.ParseTime(row.GetString("CreatedAt")));
}
