using Dockyard.Core.Access;
using Dockyard.Core.Names;
using Dockyard.Core.Quotas;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Auth;

/// <summary>
/// Who the current request acts for and what it may do on any repository: everything in standalone mode; per the
/// access policy for Basic credentials and anonymous callers; per the token's <c>access</c> claim for bearer tokens.
/// Handlers use it for checks beyond the route's own repository (a mount's <c>from</c>, the catalog).
/// </summary>
public sealed class AccessContext
{
    private static readonly object Key = new();
    private readonly Func<RepositoryName, CancellationToken, Task<RepositoryActions>> actions;

    public AccessContext(Principal principal, Func<RepositoryName, CancellationToken, Task<RepositoryActions>> actions, bool viaToken,
        RepositoryName? v1Repository = null)
    {
        Principal = principal;
        this.actions = actions;
        ViaToken = viaToken;
        V1Repository = v1Repository;
    }

    public static AccessContext Unrestricted { get; } = new(new Principal(null, true), (_, _) => Task.FromResult(RepositoryActions.All), false);

    public Principal Principal { get; }

    /// <summary>True when the caller presented a bearer token (a missing scope then calls for a new token, 401, not 403).</summary>
    public bool ViaToken { get; }

    /// <summary>The claims of the bearer token the caller presented; null for Basic credentials, anonymous and V1 tokens.</summary>
    public TokenClaims? Token { get; init; }

    /// <summary>The repository a Docker Registry V1 token was issued for; null when the caller presented none.</summary>
    public RepositoryName? V1Repository { get; }

    public Task<RepositoryActions> GetActionsAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        actions(repository, cancellationToken);

    public static AccessContext Of(HttpContext context) =>
        context.Items.TryGetValue(Key, out var value) && value is AccessContext access ? access : Unrestricted;

    /// <summary>
    /// The key the caller's unfinished uploads (blob uploads, acpush pushes) are counted under for the per-client cap
    /// (<see cref="UploadAdmission.ClientKey"/>): their account, or their address when anonymous.
    /// </summary>
    public static string UploadClientOf(HttpContext context) =>
        UploadAdmission.ClientKey(Of(context).Principal.UserName, context.Connection.RemoteIpAddress?.ToString());

    internal void AttachTo(HttpContext context) => context.Items[Key] = this;
}
