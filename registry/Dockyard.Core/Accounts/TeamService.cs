using System.Globalization;
using Dockyard.Core.Access;
using Dockyard.Core.Names;

namespace Dockyard.Core.Accounts;

/// <summary>Teams of an organization: created and deleted by organization admins, staffed by them or team admins.</summary>
public sealed class TeamService(IAccountStore accounts, AccountGuard guard, AccessPolicy access)
{
    public async Task<Team> CreateAsync(Principal actor, string? organization, string? name, string? comment, CancellationToken cancellationToken)
    {
        var org = (await guard.RequireOrganizationAsync(AccountNames.Require(organization, "orgname"), cancellationToken)).Name;
        var team = new Team(org, AccountNames.RequireTeam(name, "teamname"), comment);
        await guard.RequireOrganizationAdminAsync(actor, org, cancellationToken);
        return await accounts.Teams.TryCreateAsync(team, cancellationToken)
            ? team
            : throw AccountErrors.Conflict($"organization '{org}' already has a team '{team.Name}'", new { field = "teamname" });
    }

    public async Task DeleteAsync(Principal actor, string organization, string name, CancellationToken cancellationToken)
    {
        await RequireTeamAsync(actor, organization, name, cancellationToken);
        await guard.RequireOrganizationAdminAsync(actor, organization, cancellationToken);
        await accounts.Teams.DeleteAsync(organization, name, cancellationToken);
    }

    public async Task<(Team Team, IReadOnlyList<TeamMember> Members, IReadOnlyList<TeamRepository> Repositories)> GetAsync(
        Principal actor, string organization, string name, CancellationToken cancellationToken)
    {
        var team = await RequireTeamAsync(actor, organization, name, cancellationToken);
        return (team, await accounts.Teams.ListMembersAsync(organization, name, cancellationToken),
            await VisibleAsync(actor, await accounts.Teams.ListRepositoriesAsync(organization, name, cancellationToken), cancellationToken));
    }

    // Any member may look at any team, but a grant names a repository: a private one's name is shown only to those who
    // may pull it (org admins and the team's own members may), as every listing does.
    private async Task<IReadOnlyList<TeamRepository>> VisibleAsync(Principal actor, IReadOnlyList<TeamRepository> grants, CancellationToken cancellationToken)
    {
        var visible = new List<TeamRepository>(grants.Count);
        foreach (var grant in grants)
        {
            if (RepositoryName.TryParse($"{grant.Organization}/{grant.Repository}", out var repository)
                && (await access.GetActionsAsync(actor, repository, cancellationToken)).HasFlag(RepositoryActions.Pull))
            {
                visible.Add(grant);
            }
        }
        return visible;
    }

    public async Task<IReadOnlyList<Team>> ListAsync(Principal actor, string organization, CancellationToken cancellationToken)
    {
        await guard.RequireOrganizationAsync(organization, cancellationToken);
        await guard.RequireOrganizationMemberAsync(actor, organization, cancellationToken);
        return await accounts.Teams.ListAsync(organization, cancellationToken);
    }

    public async Task<TeamMember> AddUserAsync(Principal actor, string? organization, string? team, string? user, int? role, CancellationToken cancellationToken)
    {
        var found = await RequireTeamAsync(actor, AccountNames.Require(organization, "orgname"), AccountNames.Require(team, "teamname"), cancellationToken);
        var member = new TeamMember(found.Organization, found.Name, AccountNames.Require(user, "username"), role switch
        {
            (int)TeamRole.Admin => TeamRole.Admin,
            (int)TeamRole.Member => TeamRole.Member,
            _ => throw AccountNames.Invalid("role", role?.ToString(CultureInfo.InvariantCulture), "must be 5 (admin) or 6 (member)"),
        });
        await RequireTeamManagerAsync(actor, found, cancellationToken);
        await guard.RequireUserAsync(member.User, cancellationToken);
        if (await accounts.Organizations.GetMemberAsync(found.Organization, member.User, cancellationToken) is null)
        {
            throw AccountErrors.Conflict($"'{member.User}' is not a member of organization '{found.Organization}'; add them there first");
        }
        await accounts.Teams.SetMemberAsync(member, cancellationToken);
        return member;
    }

    public async Task RemoveUserAsync(Principal actor, string organization, string team, string user, CancellationToken cancellationToken)
    {
        var found = await RequireTeamAsync(actor, organization, team, cancellationToken);
        await RequireTeamManagerAsync(actor, found, cancellationToken);
        if (!await accounts.Teams.RemoveMemberAsync(organization, team, user, cancellationToken))
        {
            throw AccountErrors.NotFound("team member", user);
        }
    }

    public async Task<TeamRepository> AddRepositoryAsync(Principal actor, string? organization, string? repository, string? team, int? permit,
        CancellationToken cancellationToken)
    {
        var found = await RequireTeamAsync(actor, AccountNames.Require(organization, "orgname"), AccountNames.Require(team, "teamname"), cancellationToken);
        var grant = new TeamRepository(found.Organization, found.Name, AccountNames.Require(repository, "reponame"), permit switch
        {
            (int)TeamPermit.Write => TeamPermit.Write,
            (int)TeamPermit.Read => TeamPermit.Read,
            _ => throw AccountNames.Invalid("permit", permit?.ToString(CultureInfo.InvariantCulture), "must be 2 (write) or 3 (read)"),
        });
        await guard.RequireOrganizationAdminAsync(actor, found.Organization, cancellationToken);
        if (await accounts.Repositories.GetAsync(found.Organization, grant.Repository, cancellationToken) is null)
        {
            throw AccountErrors.NotFound("repository", $"{found.Organization}/{grant.Repository}");
        }
        await accounts.Teams.SetRepositoryAsync(grant, cancellationToken);
        return grant;
    }

    public async Task RemoveRepositoryAsync(Principal actor, string organization, string team, string repository, CancellationToken cancellationToken)
    {
        await RequireTeamAsync(actor, organization, team, cancellationToken);
        await guard.RequireOrganizationAdminAsync(actor, organization, cancellationToken);
        if (!await accounts.Teams.RemoveRepositoryAsync(organization, team, repository, cancellationToken))
        {
            throw AccountErrors.NotFound("team repository", $"{organization}/{repository}");
        }
    }

    // Membership is checked before the team is looked up: to anyone outside the organization (whose existence is public)
    // every team name answers the same DENIED, so probing does not list its teams.
    private async Task<Team> RequireTeamAsync(Principal actor, string organization, string name, CancellationToken cancellationToken)
    {
        await guard.RequireOrganizationAsync(organization, cancellationToken);
        await guard.RequireOrganizationMemberAsync(actor, organization, cancellationToken);
        return await accounts.Teams.GetAsync(organization, name, cancellationToken) ?? throw AccountErrors.NotFound("team", $"{organization}/{name}");
    }

    private async Task RequireTeamManagerAsync(Principal actor, Team team, CancellationToken cancellationToken)
    {
        if (await guard.IsOrganizationAdminAsync(actor, team.Organization, cancellationToken))
        {
            return;
        }
        var members = actor.UserName is null ? [] : await accounts.Teams.ListMembersAsync(team.Organization, team.Name, cancellationToken);
        if (!members.Any(m => m.User == actor.UserName && m.Role == TeamRole.Admin))
        {
            throw AccountErrors.Denied($"only admins of organization '{team.Organization}' or of team '{team.Name}' may do this");
        }
    }
}
