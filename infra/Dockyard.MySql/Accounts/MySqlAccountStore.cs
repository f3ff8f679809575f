using Dockyard.Core.Accounts;

namespace Dockyard.MySql.Accounts;

/// <summary>UAM entities in the same database as the registry metadata; user and organization names share the namespaces table.</summary>
public sealed class MySqlAccountStore(MySqlDatabase db) : IAccountStore
{
    public IUserStore Users { get; } = new MySqlUserStore(db);

    public IOrganizationStore Organizations { get; } = new MySqlOrganizationStore(db);

    public ITeamStore Teams { get; } = new MySqlTeamStore(db);

    public IRepositoryPolicyStore Repositories { get; } = new MySqlRepositoryPolicyStore(db);
}
