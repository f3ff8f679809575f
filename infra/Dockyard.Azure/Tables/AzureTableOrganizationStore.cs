using Azure.Data.Tables;
using Dockyard.Core.Accounts;
using static Dockyard.Azure.Tables.OrganizationRows;

namespace Dockyard.Azure.Tables;

/// <summary>Organizations: rows of Kind <c>organization</c> in <c>namespaces</c>; members in the organization's partition.</summary>
internal sealed class AzureTableOrganizationStore(AzureTables tables) : IOrganizationStore
{
    private TableClient Names => tables["namespaces"];

    private TableClient Table => tables["organizations"];

    public async Task<Organization?> GetAsync(string name, CancellationToken cancellationToken) =>
        await GetRowAsync(name, cancellationToken) is { } row ? Map(row) : null;

    public async Task<bool> TryCreateAsync(Organization organization, string admin, CancellationToken cancellationToken)
    {
        // The name is claimed first (the conditional insert decides between racing creators), then the partition is
        // cleared of anything a crashed delete left behind, and only then is the admin added: rows of an earlier
        // organization of this name never carry over. A crash before the admin is written leaves an organization
        // without members, which a system administrator can staff; it never grants anything to anyone.
        if (!await AzureTables.TryAddAsync(Names, Row(organization), cancellationToken))
        {
            return false;
        }
        var partition = TableKey.Escape(organization.Name);
        try
        {
            await AzureTables.DeleteAllAsync(Table, AzureTables.Rows(partition), cancellationToken);
            await Table.UpsertEntityAsync(MemberRow(new(organization.Name, admin, OrganizationRole.Admin)), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch
        {
            await AzureTables.DeleteAsync(Names, AzureTableUserStore.Partition, partition, CancellationToken.None);
            throw;
        }
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        // The partition goes first and the name last: a crash in between leaves a visible organization with fewer
        // rows, which deleting again finishes; never a free name with rows a new organization could inherit.
        var row = await GetRowAsync(name, cancellationToken);
        await AzureTables.DeleteAllAsync(Table, AzureTables.Rows(TableKey.Escape(name)), cancellationToken);
        return row is not null && await AzureTables.DeleteAsync(Names, row.PartitionKey, row.RowKey, cancellationToken, row.ETag);
    }

    public async Task<IReadOnlyList<Organization>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        [.. (await AzureTableUserStore.ListKindAsync(tables, AzureTableUserStore.OrganizationKind, after, limit, cancellationToken)).Select(Map)];

    public async Task<OrganizationMember?> GetMemberAsync(string organization, string user, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, TableKey.Escape(organization), TableKey.Join(MemberKey, user), cancellationToken) is { } row
            ? new OrganizationMember(organization, user, (OrganizationRole)(row.GetInt32("Role") ?? 0))
            : null;

    public Task SetMemberAsync(OrganizationMember member, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(MemberRow(member), TableUpdateMode.Replace, cancellationToken);

    public async Task<bool> RemoveMemberAsync(string organization, string user, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(organization);
        var existed = false;
        await SubmitFreshAsync(Table, async () =>
        {
            var member = await AzureTables.GetAsync(Table, partition, TableKey.Join(MemberKey, user), cancellationToken);
            existed = member is not null;
            var actions = new List<TableTransactionAction>();
            foreach (var membership in await AzureTables.QueryAsync(Table, AzureTables.Prefixed(partition, MembershipKey, user), null, cancellationToken))
            {
                var team = TableKey.Split(membership.RowKey)[2];
                actions.Add(Delete(partition, membership.RowKey));
                actions.Add(Delete(partition, TableKey.Join(TeamMemberKey, team, user)));
            }
            if (member is not null)
            {
                actions.Add(Delete(partition, member.RowKey));
            }
            return actions;
        }, cancellationToken);
        return existed;
    }

    public async Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(string organization, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Table, AzureTables.Prefixed(TableKey.Escape(organization), MemberKey), null, cancellationToken))
            .Select(r => new OrganizationMember(organization, TableKey.Split(r.RowKey)[1], (OrganizationRole)(r.GetInt32("Role") ?? 0)))];

    private async Task<TableEntity?> GetRowAsync(string name, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Names, AzureTableUserStore.Partition, TableKey.Escape(name), cancellationToken) is { } row
            && row.GetString("Kind") == AzureTableUserStore.OrganizationKind
            ? row
            : null;

    private static TableEntity MemberRow(OrganizationMember member) =>
        new(TableKey.Escape(member.Organization), TableKey.Join(MemberKey, member.User)) { ["Role"] = (int)member.Role };

    private static TableEntity Row(Organization organization) => new(AzureTableUserStore.Partition, TableKey.Escape(organization.Name))
    {
        ["Kind"] = AzureTableUserStore.OrganizationKind,
        ["Email"] = organization.Email,
        ["Comment"] = organization.Comment,
        ["Url"] = organization.Url,
        ["Location"] = organization.Location,
        ["MemberPrivilege"] = (int)organization.MemberPrivilege,
        ["CreatedAt"] = AzureTables.Time(organization.CreatedAt),
    };

    private static Organization Map(TableEntity row) => new(TableKey.Unescape(row.RowKey), row.GetString("Email"), row.GetString("Comment"),
        row.GetString("Url"), row.GetString("Location"), (MemberPrivilege)(row.GetInt32("MemberPrivilege") ?? 0), AzureTables.ParseTime(row.GetString("CreatedAt")));
}
