namespace Dockyard.Core.Accounts;

/// <summary>
/// Users, organizations, teams and repository ownership/visibility (the original Dockyard's UAM). Like the
/// metadata store it needs only keyed lookups, listings scoped by user or organization, and conditional creates,
/// so every metadata backend can implement it. Implementations pass AccountStoreConformance.
/// </summary>
public interface IAccountStore
{
    IUserStore Users { get; }

    IOrganizationStore Organizations { get; }

    ITeamStore Teams { get; }

    IRepositoryPolicyStore Repositories { get; }
}

/// <summary>Users. User and organization names share one namespace: neither may take a name the other holds.</summary>
public interface IUserStore
{
    /// <summary>The user; null when there is none of that name.</summary>
    Task<User?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the user; false (and no change) when a user or organization already has the name.</summary>
    Task<bool> TryCreateAsync(User user, CancellationToken cancellationToken);

    /// <summary>Replaces an existing user's fields (password, e-mail, admin flag); false when absent.</summary>
    Task<bool> UpdateAsync(User user, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> users in name order, strictly after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<User>> ListAsync(string? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the user with their organization and team memberships (their teams' repository grants belong to the
    /// teams and stay), and frees the name. Memberships go first and the name last, so a crash in between leaves a
    /// visible user with fewer memberships, which deleting again finishes. Repositories are not touched: the caller
    /// decides what may be deleted (<see cref="UserService.DeleteAsync"/> refuses a user whose namespace holds any).
    /// </summary>
    /// <returns>False, changing nothing, when no user has the name (an organization of that name is left alone).</returns>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Organizations and their members.</summary>
public interface IOrganizationStore
{
    /// <summary>The organization; null when there is none of that name.</summary>
    Task<Organization?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the organization with <paramref name="admin"/> as its first admin, atomically; false (and no change)
    /// when a user or organization already has the name.
    /// </summary>
    Task<bool> TryCreateAsync(Organization organization, string admin, CancellationToken cancellationToken);

    /// <summary>Deletes the organization with its members, teams, team members and team grants; false when absent.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Organization>> ListAsync(string? after, int limit, CancellationToken cancellationToken);

    /// <summary>The user's membership; null when not a member.</summary>
    Task<OrganizationMember?> GetMemberAsync(string organization, string user, CancellationToken cancellationToken);

    /// <summary>Adds the member or changes their role.</summary>
    Task SetMemberAsync(OrganizationMember member, CancellationToken cancellationToken);

    /// <summary>Removes the member and their team memberships in the organization; false when not a member.</summary>
    Task<bool> RemoveMemberAsync(string organization, string user, CancellationToken cancellationToken);

    /// <summary>The members in user-name order.</summary>
    Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(string organization, CancellationToken cancellationToken);
}

/// <summary>Teams of an organization, their members and their repository grants.</summary>
public interface ITeamStore
{
    Task<Team?> GetAsync(string organization, string name, CancellationToken cancellationToken);

    /// <summary>Creates the team; false when the organization already has one of that name.</summary>
    Task<bool> TryCreateAsync(Team team, CancellationToken cancellationToken);

    /// <summary>Deletes the team with its members and grants; false when absent.</summary>
    Task<bool> DeleteAsync(string organization, string name, CancellationToken cancellationToken);

    /// <summary>The organization's teams in name order.</summary>
    Task<IReadOnlyList<Team>> ListAsync(string organization, CancellationToken cancellationToken);

    Task SetMemberAsync(TeamMember member, CancellationToken cancellationToken);

    Task<bool> RemoveMemberAsync(string organization, string team, string user, CancellationToken cancellationToken);

    /// <summary>A team's members in user-name order.</summary>
    Task<IReadOnlyList<TeamMember>> ListMembersAsync(string organization, string team, CancellationToken cancellationToken);

    /// <summary>The teams of <paramref name="organization"/> that <paramref name="user"/> belongs to.</summary>
    Task<IReadOnlyList<TeamMember>> ListMembershipsAsync(string organization, string user, CancellationToken cancellationToken);

    /// <summary>Grants the team a permit on a repository of its organization, replacing an earlier grant.</summary>
    Task SetRepositoryAsync(TeamRepository grant, CancellationToken cancellationToken);

    Task<bool> RemoveRepositoryAsync(string organization, string team, string repository, CancellationToken cancellationToken);

    /// <summary>A team's grants in repository order.</summary>
    Task<IReadOnlyList<TeamRepository>> ListRepositoriesAsync(string organization, string team, CancellationToken cancellationToken);

    /// <summary>Every team grant on one repository of the organization.</summary>
    Task<IReadOnlyList<TeamRepository>> ListGrantsAsync(string organization, string repository, CancellationToken cancellationToken);
}

/// <summary>Which user or organization owns a repository, and whether it is public.</summary>
public interface IRepositoryPolicyStore
{
    /// <summary>The policy; null when the repository was never created in UAM.</summary>
    Task<RepositoryPolicy?> GetAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Creates the policy; false when it exists.</summary>
    Task<bool> TryCreateAsync(RepositoryPolicy policy, CancellationToken cancellationToken);

    /// <summary>Replaces visibility and comment; false when absent.</summary>
    Task<bool> UpdateAsync(RepositoryPolicy policy, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>The namespace's repositories in name order.</summary>
    Task<IReadOnlyList<RepositoryPolicy>> ListAsync(string @namespace, CancellationToken cancellationToken);
}
