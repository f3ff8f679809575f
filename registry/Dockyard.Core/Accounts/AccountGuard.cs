using Dockyard.Core.Access;

namespace Dockyard.Core.Accounts;

/// <summary>Who may change what in UAM: registry admins everything, organization admins their organization, users themselves.</summary>
public sealed class AccountGuard(IAccountStore accounts)
{
    public async Task<Organization> RequireOrganizationAsync(string name, CancellationToken cancellationToken) =>
        await accounts.Organizations.GetAsync(name, cancellationToken) ?? throw AccountErrors.NotFound("organization", name);

    public async Task<User> RequireUserAsync(string name, CancellationToken cancellationToken) =>
        await accounts.Users.GetAsync(name, cancellationToken) ?? throw AccountErrors.NotFound("user", name);

    public async Task<bool> IsOrganizationAdminAsync(Principal actor, string organization, CancellationToken cancellationToken) =>
        actor.IsAdmin || (actor.UserName is { } user
            && await accounts.Organizations.GetMemberAsync(organization, user, cancellationToken) is { Role: OrganizationRole.Admin });

    public async Task RequireOrganizationAdminAsync(Principal actor, string organization, CancellationToken cancellationToken)
    {
        if (!await IsOrganizationAdminAsync(actor, organization, cancellationToken))
        {
            throw AccountErrors.Denied($"only an admin of organization '{organization}' may do this");
        }
    }

    public async Task RequireOrganizationMemberAsync(Principal actor, string organization, CancellationToken cancellationToken)
    {
        if (!actor.IsAdmin && (actor.UserName is not { } user || await accounts.Organizations.GetMemberAsync(organization, user, cancellationToken) is null))
        {
            throw AccountErrors.Denied($"only members of organization '{organization}' may see this");
        }
    }

    /// <summary>The owner of a namespace (the user itself) or, for an organization, its admins.</summary>
    public async Task RequireNamespaceOwnerAsync(Principal actor, string @namespace, CancellationToken cancellationToken)
    {
        if (actor.IsAdmin || actor.UserName == @namespace)
        {
            return;
        }
        if (await accounts.Organizations.GetAsync(@namespace, cancellationToken) is null || !await IsOrganizationAdminAsync(actor, @namespace, cancellationToken))
        {
            throw AccountErrors.Denied($"only the owner of '{@namespace}' may do this");
        }
    }
}
