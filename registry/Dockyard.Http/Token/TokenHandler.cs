using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Core.Names;
using Dockyard.Http.Auth;
using Dockyard.Http.Errors;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Token;

/// <summary>
/// <c>GET /uam/auth?service=&amp;scope=…</c>: the Docker token endpoint. Authenticates Basic credentials (or none, for
/// public pulls) and issues a token granting, per requested scope, the intersection of requested and allowed actions
/// (a partial grant is not an error). Bad credentials: 401; too many failures: 429; directory down: 503. A request
/// names at most <see cref="MaxScopes"/> resources (400 beyond): each costs a policy lookup and an entry in the token.
/// </summary>
public sealed class TokenHandler(RegistryAuthOptions options, CredentialVerifier verifier, AccessPolicy policy, TokenIssuer issuer, RequestAuthorizer authorizer,
    IAccountStore accounts)
{
    public async Task IssueAsync(HttpContext context, RouteValues values)
    {
        var request = context.Request;
        if (options.Keys?.Signing is null)
        {
            await ErrorEnvelope.WriteAsync(context, StatusCodes.Status404NotFound, "UNSUPPORTED",
                "this registry issues no tokens (standalone mode, or no [auth_server] privateKey)");
            return;
        }
        var service = request.Query["service"].ToString();
        if (service.Length > 0 && service != options.Service)
        {
            await ErrorEnvelope.WriteAsync(context, StatusCodes.Status400BadRequest, "INVALID_FIELD",
                $"service: this token endpoint serves '{options.Service}'", new { field = "service", value = service });
            return;
        }
        var principal = Principal.Anonymous;
        if (AuthorizationHeader.Basic(request) is var (user, password))
        {
            var check = await verifier.VerifyAsync(user, password, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
            if (check.Principal is null)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"Dockyard\"";
                await authorizer.WriteLoginFailureAsync(context, check);
                return;
            }
            principal = check.Principal;
        }
        else if (AuthorizationHeader.IsPresent(request))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Dockyard\"";
            await ErrorEnvelope.WriteAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "the token endpoint takes Basic credentials");
            return;
        }
        var scopes = ResourceScope.ParseAll(request.Query["scope"]);
        if (scopes.Count > MaxScopes)
        {
            await ErrorEnvelope.WriteAsync(context, StatusCodes.Status400BadRequest, "INVALID_FIELD",
                $"scope: at most {MaxScopes} resources per token request", new { field = "scope", count = scopes.Count });
            return;
        }
        var granted = new List<ResourceScope>();
        foreach (var scope in scopes)
        {
            if (await GrantAsync(principal, scope, context.RequestAborted) is { } grant)
            {
                granted.Add(grant);
            }
        }
        var token = issuer.Issue(principal.UserName ?? "", await CredentialStamp.OfAsync(accounts, principal.UserName, context.RequestAborted), granted);
        await Uam.UamResponses.WriteAsync(context, StatusCodes.Status200OK, new
        {
            token = token.Token,
            access_token = token.Token,
            expires_in = token.ExpiresIn,
            issued_at = token.IssuedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <summary>
    /// The most resources one token request may name. Clients ask for one to a few (a push with cross-repository mounts:
    /// one per source); before the cap, one anonymous request line of 8 KiB named about 500, each a policy lookup.
    /// </summary>
    public const int MaxScopes = 50;

    private async Task<ResourceScope?> GrantAsync(Principal principal, ResourceScope scope, CancellationToken cancellationToken)
    {
        if (scope.Type == ResourceScope.RegistryType && scope.Name is ResourceScope.CatalogName or ResourceScope.AccountName)
        {
            return principal.IsAnonymous || !scope.Actions.Contains("*") ? null : scope with { Actions = ["*"] };
        }
        if (scope.Type != ResourceScope.RepositoryType || !RepositoryName.TryParse(scope.Name, out var repository))
        {
            return null;
        }
        var requested = RepositoryActionNames.Parse(string.Join(',', scope.Actions));
        var allowed = await policy.GetActionsAsync(principal, repository, cancellationToken);
        return scope with { Actions = RepositoryActionNames.Format(requested & allowed) };
    }
}
