using Dockyard.Core.Access;

namespace Dockyard.Core.Accounts;

/// <summary>
/// Organizations and their members. The creator becomes the first admin; only admins change membership. A name that
/// already holds repositories cannot become an organization (that would hand them to its creator), and an
/// organization is deleted only once it holds none, taking its namespace-wide keys with it.
/// </summary>
public sealed class OrganizationService(IAccountStore accounts, AccountGuard guard, RepositoryOwnership ownership, RepositoryEraser eraser, TimeProvider time)
{
    public async Task<Organization> CreateAsync(Principal actor, string? name, string? email, string? comment, string? url, string? location,
        int? memberPrivilege, CancellationToken cancellationToken)
    {
        var creator = actor.UserName ?? throw AccountErrors.Denied("sign in to create an organization");
        var organization = new Organization(AccountNames.RequireNamespace(name, "name"), email, comment, url, location,
            ParsePrivilege(memberPrivilege), time.GetUtcNow());
        return !await ownership.NamespaceHoldsDataAsync(organization.Name, cancellationToken)
            && await accounts.Organizations.TryCreateAsync(organization, creator, cancellationToken)
            ? organization
            : throw AccountErrors.NameTaken(organization.Name);
    }

    public async Task DeleteAsync(Principal actor, string name, CancellationToken cancellationToken)
    {
        await guard.RequireOrganizationAsync(name, cancellationToken);
        await guard.RequireOrganizationAdminAsync(actor, name, cancellationToken);
        if (await ownership.NamespaceHoldsDataAsync(name, cancellationToken))
        {
            throw AccountErrors.Conflict($"organization '{name}' still has repositories; delete them first");
        }
        await eraser.EraseNamespaceAsync(name, cancellationToken);
        await accounts.Organizations.DeleteAsync(name, cancellationToken);
    }

    public async Task<Organization> GetAsync(string name, CancellationToken cancellationToken) =>
        await guard.RequireOrganizationAsync(name, cancellationToken);

    public Task<IReadOnlyList<Organization>> ListAsync(string? after, int limit, CancellationToken cancellationToken) =>
        accounts.Organizations.ListAsync(after, limit, cancellationToken);

    public async Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(Principal actor, string name, CancellationToken cancellationToken)
    {
        await guard.RequireOrganizationAsync(name, cancellationToken);
        await guard.RequireOrganizationMemberAsync(actor, name, cancellationToken);
        return await accounts.Organizations.ListMembersAsync(name, cancellationToken);
    }

    public async Task<OrganizationMember> AddUserAsync(Principal actor, string? organization, string? user, int? role, CancellationToken cancellationToken)
    {
        var org = (await guard.RequireOrganizationAsync(AccountNames.Require(organization, "orgname"), cancellationToken)).Name;
        var member = new OrganizationMember(org, (await guard.RequireUserAsync(AccountNames.Require(user, "username"), cancellationToken)).Name,
            role switch
            {
                (int)OrganizationRole.Admin => OrganizationRole.Admin,
                (int)OrganizationRole.Member => OrganizationRole.Member,
                _ => throw AccountNames.Invalid("role", role?.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be 3 (admin) or 4 (member)"),
            });
        await guard.RequireOrganizationAdminAsync(actor, org, cancellationToken);
        if (member.Role != OrganizationRole.Admin)
        {
            // Adding an existing admin again as a member demotes them.
            RequireAnotherAdmin(org, member.User, await accounts.Organizations.ListMembersAsync(org, cancellationToken));
        }
        await accounts.Organizations.SetMemberAsync(member, cancellationToken);
        return member;
    }

    public async Task RemoveUserAsync(Principal actor, string organization, string user, CancellationToken cancellationToken)
    {
        await guard.RequireOrganizationAsync(organization, cancellationToken);
        await guard.RequireOrganizationAdminAsync(actor, organization, cancellationToken);
        var members = await accounts.Organizations.ListMembersAsync(organization, cancellationToken);
        if (!members.Any(m => m.User == user))
        {
            throw AccountErrors.NotFound("member", user);
        }
        RequireAnotherAdmin(organization, user, members);
        await accounts.Organizations.RemoveMemberAsync(organization, user, cancellationToken);
    }

    /// <summary>Refuses to remove or demote <paramref name="user"/> when they are the organization's only admin.</summary>
    private static void RequireAnotherAdmin(string organization, string user, IReadOnlyList<OrganizationMember> members)
    {
        if (members.Any(m => m.User == user && m.Role == OrganizationRole.Admin) && members.Count(m => m.Role == OrganizationRole.Admin) == 1)
        {
            throw AccountErrors.Conflict($"'{user}' is the last admin of '{organization}'; add another admin first");
        }
    }

    private static MemberPrivilege ParsePrivilege(int? value) => value switch
    {
        null => MemberPrivilege.Read,
        (int)MemberPrivilege.Write => MemberPrivilege.Write,
        (int)MemberPrivilege.Read => MemberPrivilege.Read,
        (int)MemberPrivilege.None => MemberPrivilege.None,
        _ => throw AccountNames.Invalid("memberprivilege", value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "must be 2 (write), 3 (read) or 4 (none)"),
    };
}
