using System.Security.Claims;
using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Core.Names;

namespace Dockyard.Web.Access;

/// <summary>
/// Who is looking at a page and what they may do with a repository, by the same rules as every other door: the
/// session cookie names a user, whose admin flag is read again from the store on every request (a demoted or deleted
/// user loses their rights at once; a changed password ends every session, see <see cref="CredentialStamp"/>), and
/// <see cref="AccessPolicy"/> decides. In standalone mode the API checks
/// nothing, so anyone may look at everything and a signed-in user acts as an administrator, as the UAM API treats
/// valid credentials there.
/// </summary>
public sealed class BrowsingAccess(IAccountStore accounts, AccessPolicy policy, WebUiOptions options)
{
    /// <summary>The caller; <see cref="Principal.Anonymous"/> without a session or when its user no longer exists.</summary>
    public async Task<Principal> PrincipalAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.Identity is not { IsAuthenticated: true, Name: { } name }
            || await accounts.Users.GetAsync(name, cancellationToken) is not { } stored
            || user.FindFirst(StampClaim)?.Value != CredentialStamp.Of(stored))
        {
            return Principal.Anonymous;
        }
        return new Principal(stored.Name, stored.IsAdmin || options.Standalone);
    }

    /// <summary>The session cookie's claim holding the <see cref="CredentialStamp"/> at sign-in.</summary>
    public const string StampClaim = "dockyard:stamp";

    public async Task<RepositoryActions> ActionsAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken) =>
        options.Standalone && principal.IsAnonymous
            ? RepositoryActions.Pull
            : await policy.GetActionsAsync(principal, repository, cancellationToken);

    /// <summary>
    /// True when the caller administers the namespace, as <see cref="AccessPolicy"/> gives them every right on its
    /// repositories: a registry administrator, the user of that name, or an admin of the organization of that name.
    /// </summary>
    public async Task<bool> AdministersNamespaceAsync(Principal principal, string @namespace, CancellationToken cancellationToken) =>
        principal.IsAdmin
        || (principal.UserName is { } user
            && (user == @namespace || await accounts.Organizations.GetMemberAsync(@namespace, user, cancellationToken) is { Role: OrganizationRole.Admin }));

    /// <summary>True when the caller may see the repository at all; without it the repository is shown as missing.</summary>
    public async Task<bool> MayReadAsync(Principal principal, RepositoryName repository, CancellationToken cancellationToken) =>
        (await ActionsAsync(principal, repository, cancellationToken)).HasFlag(RepositoryActions.Pull);
}
