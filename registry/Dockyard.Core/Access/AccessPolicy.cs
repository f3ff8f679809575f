using Dockyard.Core.Accounts;
using Dockyard.Core.Names;

namespace Dockyard.Core.Access;

/// <summary>
/// Decides what a principal may do on a repository, from UAM's rules: registry admins and the owning user do
/// everything; an organization's admins do everything on its repositories; its members get what the organization's
/// memberprivilege says on existing repositories, plus what their teams' permits grant; everyone (anonymous included)
/// may pull a public repository. Only owners and admins may create a repository by pushing to it, and only they may delete.
/// </summary>
public sealed class AccessPolicy(IAccountStore accounts)
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
        if (user == ns)
        {
            return RepositoryActions.All;
        }
        if (await accounts.Organizations.GetAsync(ns, cancellationToken) is not { } organization
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
