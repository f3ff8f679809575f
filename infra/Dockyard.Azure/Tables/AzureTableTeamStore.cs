using Azure.Data.Tables;
using Dockyard.Core.Accounts;
using static Dockyard.Azure.Tables.OrganizationRows;

namespace Dockyard.Azure.Tables;

/// <summary>
/// Teams in their organization's partition of the <c>organizations</c> table. A team member row and its reverse
/// row (memberships by user), and a grant and its reverse row (grants by repository), are always written and
/// removed together in one entity group transaction.
/// </summary>
internal sealed class AzureTableTeamStore(AzureTables tables) : ITeamStore
{
    private TableClient Table => tables["organizations"];

    public async Task<Team?> GetAsync(string organization, string name, CancellationToken cancellationToken) =>
        await AzureTables.GetAsync(Table, TableKey.Escape(organization), TableKey.Join(TeamKey, name), cancellationToken) is { } row
            ? new Team(organization, name, row.GetString("Comment"))
            : null;

    public Task<bool> TryCreateAsync(Team team, CancellationToken cancellationToken) =>
        AzureTables.TryAddAsync(Table, new TableEntity(TableKey.Escape(team.Organization), TableKey.Join(TeamKey, team.Name)) { ["Comment"] = team.Comment },
            cancellationToken);

    public async Task<bool> DeleteAsync(string organization, string name, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(organization);
        var existed = false;
        // Members and grants go before the team row (the last batch), so a crash leaves a team with fewer rows,
        // which deleting again finishes; never rows that a re-created team of this name would inherit.
        await SubmitFreshAsync(Table, async () =>
        {
            var team = await AzureTables.GetAsync(Table, partition, TableKey.Join(TeamKey, name), cancellationToken);
            existed = team is not null;
            var actions = new List<TableTransactionAction>();
            foreach (var member in await AzureTables.QueryAsync(Table, AzureTables.Prefixed(partition, TeamMemberKey, name), null, cancellationToken))
            {
                actions.Add(Delete(partition, member.RowKey));
                actions.Add(Delete(partition, TableKey.Join(MembershipKey, TableKey.Split(member.RowKey)[2], name)));
            }
            foreach (var grant in await AzureTables.QueryAsync(Table, AzureTables.Prefixed(partition, GrantKey, name), null, cancellationToken))
            {
                actions.Add(Delete(partition, grant.RowKey));
                actions.Add(Delete(partition, TableKey.Join(GrantByRepositoryKey, TableKey.Split(grant.RowKey)[2], name)));
            }
            if (team is not null)
            {
                actions.Add(Delete(partition, team.RowKey));
            }
            return actions;
        }, cancellationToken);
        return existed;
    }

    public async Task<IReadOnlyList<Team>> ListAsync(string organization, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Table, AzureTables.Prefixed(TableKey.Escape(organization), TeamKey), null, cancellationToken))
            .Select(r => new Team(organization, TableKey.Split(r.RowKey)[1], r.GetString("Comment")))];

    public Task SetMemberAsync(TeamMember member, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(member.Organization);
        return Table.SubmitTransactionAsync(
        [
            Upsert(new TableEntity(partition, TableKey.Join(TeamMemberKey, member.Team, member.User)) { ["Role"] = (int)member.Role }),
            Upsert(new TableEntity(partition, TableKey.Join(MembershipKey, member.User, member.Team)) { ["Role"] = (int)member.Role }),
        ], cancellationToken);
    }

    public Task<bool> RemoveMemberAsync(string organization, string team, string user, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(organization);
        return TrySubmitAsync(Table,
            [Delete(partition, TableKey.Join(TeamMemberKey, team, user)), Delete(partition, TableKey.Join(MembershipKey, user, team))], cancellationToken);
    }

    public async Task<IReadOnlyList<TeamMember>> ListMembersAsync(string organization, string team, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Table, AzureTables.Prefixed(TableKey.Escape(organization), TeamMemberKey, team), null, cancellationToken))
            .Select(r => new TeamMember(organization, team, TableKey.Split(r.RowKey)[2], (TeamRole)(r.GetInt32("Role") ?? 0)))];

    public async Task<IReadOnlyList<TeamMember>> ListMembershipsAsync(string organization, string user, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Table, AzureTables.Prefixed(TableKey.Escape(organization), MembershipKey, user), null, cancellationToken))
            .Select(r => new TeamMember(organization, TableKey.Split(r.RowKey)[2], user, (TeamRole)(r.GetInt32("Role") ?? 0)))];

    public Task SetRepositoryAsync(TeamRepository grant, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(grant.Organization);
        return Table.SubmitTransactionAsync(
        [
            Upsert(new TableEntity(partition, TableKey.Join(GrantKey, grant.Team, grant.Repository)) { ["Permit"] = (int)grant.Permit }),
            Upsert(new TableEntity(partition, TableKey.Join(GrantByRepositoryKey, grant.Repository, grant.Team)) { ["Permit"] = (int)grant.Permit }),
        ], cancellationToken);
    }

    public Task<bool> RemoveRepositoryAsync(string organization, string team, string repository, CancellationToken cancellationToken)
    {
        var partition = TableKey.Escape(organization);
        return TrySubmitAsync(Table,
            [Delete(partition, TableKey.Join(GrantKey, team, repository)), Delete(partition, TableKey.Join(GrantByRepositoryKey, repository, team))], cancellationToken);
    }

    public async Task<IReadOnlyList<TeamRepository>> ListRepositoriesAsync(string organization, string team, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Table, AzureTables.Prefixed(TableKey.Escape(organization), GrantKey, team), null, cancellationToken))
            .Select(r => new TeamRepository(organization, team, TableKey.Split(r.RowKey)[2], (TeamPermit)(r.GetInt32("Permit") ?? 0)))];

    public async Task<IReadOnlyList<TeamRepository>> ListGrantsAsync(string organization, string repository, CancellationToken cancellationToken) =>
        [.. (await AzureTables.QueryAsync(Table, AzureTables.Prefixed(TableKey.Escape(organization), GrantByRepositoryKey, repository), null, cancellationToken))
            .Select(r => new TeamRepository(organization, TableKey.Split(r.RowKey)[2], repository, (TeamPermit)(r.GetInt32("Permit") ?? 0)))];
}
