using Dockyard.Core.Accounts;

namespace Dockyard.Azure.Tables;

/// <summary>
/// UAM entities in Azure Tables. Users and organizations are rows of one <c>namespaces</c> table (fixed partition,
/// RowKey = the escaped name, property Kind), so that claiming a name for either is one conditional insert.
/// Everything inside an organization (members, teams, team members, grants, and the reverse rows that list
/// memberships by user and grants by repository) is one partition of the <c>organizations</c> table, so that each
/// change and its reverse row are one entity group transaction. Repository policies are partitioned by namespace.
/// </summary>
public sealed class AzureTableAccountStore(AzureTables tables) : IAccountStore
{
    public IUserStore Users { get; } = new AzureTableUserStore(tables);

    public IOrganizationStore Organizations { get; } = new AzureTableOrganizationStore(tables);

    public ITeamStore Teams { get; } = new AzureTableTeamStore(tables);

    public IRepositoryPolicyStore Repositories { get; } = new AzureTableRepositoryPolicyStore(tables);
}
