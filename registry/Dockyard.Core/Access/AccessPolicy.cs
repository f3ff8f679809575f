using Dockyard.Core.Accounts;
using Dockyard.Core.Names;

namespace Dockyard.Core.Access;

/// <summary>
/// Decides what a principal may do on a repository, from UAM's rules: registry admins do everything; the repository's
/// owner (see <see cref="RepositoryOwnership"/>) does everything; when an organization owns it, the organization's
/// admins do everything and its members get what the organization's memberprivilege says plus what their teams'
/// permits grant; everyone (anonymous included) may pull a public repository. A repository that does not exist yet
/// may be created by pushing to it by the account holding its namespace (a user, or an organization's admins). Data
/// with no owner — pushed in open mode and not yet adopted — is reachable by admins only, so no one can take it over by
/// signing up with its namespace's name.
/// </summary>
public sealed class AccessPolicy(IAccountStore accounts, RepositoryOwnership ownership)
{
    public async Task<RepositoryActions> GetActionsAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken)
    {
        if (principal.IsAdmin)
        {
            return RepositoryActions.All;
        }
        var (ns, name) = Split(repository);
        var policy = name is null ? null : await accounts.Repositories.GetAsync(ns, name, cancellationToken);
        var granted = policy is { IsPublic: true } ? RepositoryActions.Pull : RepositoryActions.None;
        if (principal.UserName is not { } user || name is null)
        {
            return granted;
        }
        var owner = policy is null
            ? await ownership.IsUnclaimedAsync(repository, cancellationToken) ? ns : null
            : await ownership.OwnerOfAsync(policy, cancellationToken);
        if (owner is null)
        {
            return granted;
        }
        if (owner == user)
        {
            return RepositoryActions.All;
        }
        if (owner != ns
            || await accounts.Organizations.GetAsync(ns, cancellationToken) is not { } organization
            || await accounts.Organizations.GetMemberAsync(ns, user, cancellationToken) is not { } member)
        {
            return granted;
        }
        if (member.Role == OrganizationRole.Admin)
        {
            return RepositoryActions.All;
        }
        if (policy is null)
        {
            return granted;
        }
        granted |= organization.MemberPrivilege switch
        {
            MemberPrivilege.Write => RepositoryActions.Pull | RepositoryActions.Push,
            MemberPrivilege.Read => RepositoryActions.Pull,
            _ => RepositoryActions.None,
        };
        foreach (var team in await accounts.Teams.ListMembershipsAsync(ns, user, cancellationToken))
        {
            foreach (var grant in await accounts.Teams.ListRepositoriesAsync(ns, team.Team, cancellationToken))
            {
                if (grant.Repository == name)
                {
                    granted |= grant.Permit == TeamPermit.Write ? RepositoryActions.Pull | RepositoryActions.Push : RepositoryActions.Pull;
                }
            }
        }
        return granted;
    }

    /// <summary>The owning namespace (first component) and the name inside it; the name is null for a one-component repository.</summary>
    public static (string Namespace, string? Name) Split(RepositoryName repository)
    {
        var slash = repository.Value.IndexOf('/');
        return slash < 0 ? (repository.Value, null) : (repository.Value[..slash], repository.Value[(slash + 1)..]);
    }
}
