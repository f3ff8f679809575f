using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Core.Names;
using Dockyard.Http.Errors;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Auth;

/// <summary>
/// Enforces a route's <see cref="AccessRequirement"/> when authorization is on: authenticates Basic credentials or a
/// bearer token (or lets the caller be anonymous), then answers 401 with a challenge when a token with more scope
/// would help, 403 DENIED when valid credentials are not enough, 429 after too many failed logins, 503 when the
/// directory is down. A push that creates a repository records it as a private repository with its owner. Docker
/// Registry V1 <c>Authorization: Token …</c> headers grant what the token says on its one repository.
/// </summary>
public sealed class RequestAuthorizer(
    RegistryAuthOptions options, CredentialVerifier verifier, TokenValidator tokens, V1Tokens v1Tokens, AccessPolicy policy, IAccountStore accounts,
    RepositoryOwnership ownership, NamespaceAges namespaces, TimeProvider time)
{
    /// <summary>True when the handler may run; false when the refusal has been written.</summary>
    public async Task<bool> AuthorizeAsync(HttpContext context, RouteEndpoint endpoint, RouteValues values)
    {
        if (!options.Enforced)
        {
            await IdentifyInOpenModeAsync(context, endpoint);
            return true;
        }
        if (endpoint.Access == AccessRequirement.Anonymous)
        {
            return true;
        }
        var access = await AuthenticateAsync(context);
        if (access is null)
        {
            return false;
        }
        access.AttachTo(context);
        switch (endpoint.Access)
        {
            case AccessRequirement.Authenticated:
                if (access.Principal.IsAnonymous)
                {
                    await AuthChallenge.WriteAsync(context, options, null, null, "authentication required");
                    return false;
                }
                return true;
            case AccessRequirement.Account:
                return await AuthorizeAccountAsync(context, access);
            case AccessRequirement.Catalog:
                return await AuthorizeCatalogAsync(context, access);
            case AccessRequirement.V1Image:
                return true;
            default:
                return await AuthorizeRepositoryAsync(context, endpoint.Access, values["name"], access);
        }
    }

    // Standalone mode checks nothing, but UAM still needs to know who creates an organization: valid Basic
    // credentials name the actor (as an administrator, since nothing is enforced); bad ones are ignored.
    private async Task IdentifyInOpenModeAsync(HttpContext context, RouteEndpoint endpoint)
    {
        if (endpoint.Access is AccessRequirement.Authenticated or AccessRequirement.Account && AuthorizationHeader.Basic(context.Request) is var (user, password)
            && (await verifier.VerifyAsync(user, password, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted)).Principal is { } principal)
        {
            new AccessContext(principal with { IsAdmin = true }, (_, _) => Task.FromResult(RepositoryActions.All), viaToken: false).AttachTo(context);
        }
    }

    private async Task<bool> AuthorizeRepositoryAsync(HttpContext context, AccessRequirement requirement, string? nameText, AccessContext access)
    {
        if (!RepositoryName.TryParse(nameText, out var repository))
        {
            // The handler answers NAME_INVALID; an invalid name reaches no data.
            return true;
        }
        var needed = requirement switch
        {
            AccessRequirement.Pull => RepositoryActions.Pull,
            AccessRequirement.Push => RepositoryActions.Pull | RepositoryActions.Push,
            _ => RepositoryActions.Delete,
        };
        var granted = await access.GetActionsAsync(repository, context.RequestAborted);
        if ((granted & needed) == needed)
        {
            if (requirement == AccessRequirement.Push)
            {
                await RecordRepositoryAsync(repository, access.Principal, context.RequestAborted);
            }
            return true;
        }
        var scope = $"{ResourceScope.RepositoryType}:{repository}:{string.Join(',', RepositoryActionNames.Format(needed))}";
        if (access.Principal.IsAnonymous || access.ViaToken)
        {
            await AuthChallenge.WriteAsync(context, options, scope, access.ViaToken ? "insufficient_scope" : null, "authentication required");
        }
        else
        {
            await ErrorEnvelope.WriteAsync(context, StatusCodes.Status403Forbidden, "DENIED",
                "requested access to the resource is denied", new { repository = repository.Value, needed = RepositoryActionNames.Format(needed) });
        }
        return false;
    }

    // A token issued to pull and push must not let its bearer make repositories public, delete them or create
    // organizations: account management needs the password, or a token asked for with registry:account:*. Such a token
    // acts as its subject as the subject is now (an admin keeps admin rights, a demoted one loses them).
    private async Task<bool> AuthorizeAccountAsync(HttpContext context, AccessContext access)
    {
        if (access.Principal.IsAnonymous || access.V1Repository is not null)
        {
            await AuthChallenge.WriteAsync(context, options, null, null, "authentication required");
            return false;
        }
        if (!access.ViaToken)
        {
            return true;
        }
        if (access.Token?.Access.Any(a => a.IsRegistryWide(ResourceScope.AccountName)) != true)
        {
            await AuthChallenge.WriteAsync(context, options, $"{ResourceScope.RegistryType}:{ResourceScope.AccountName}:*", "insufficient_scope",
                "account management requires Basic credentials or a token with the registry:account:* scope");
            return false;
        }
        var principal = await PrincipalOfAsync(access.Principal.UserName, context.RequestAborted);
        new AccessContext(principal, (r, ct) => policy.GetActionsAsync(principal, r, ct), viaToken: true) { Token = access.Token }.AttachTo(context);
        return true;
    }

    private async Task<bool> AuthorizeCatalogAsync(HttpContext context, AccessContext access)
    {
        if (!access.ViaToken)
        {
            return true;
        }
        // A token must carry the catalog scope; the listing is then filtered by what its subject may read.
        if (access.Token?.Access.Any(a => a.IsRegistryWide(ResourceScope.CatalogName)) != true)
        {
            await AuthChallenge.WriteAsync(context, options, "registry:catalog:*", "insufficient_scope", "catalog access requires the registry:catalog:* scope");
            return false;
        }
        var principal = await PrincipalOfAsync(access.Principal.UserName, context.RequestAborted);
        new AccessContext(principal, (r, ct) => policy.GetActionsAsync(principal, r, ct), viaToken: true).AttachTo(context);
        return true;
    }

    private async Task<AccessContext?> AuthenticateAsync(HttpContext context)
    {
        var request = context.Request;
        if (AuthorizationHeader.Basic(request) is var (user, password))
        {
            var check = await verifier.VerifyAsync(user, password, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
            if (check.Principal is { } principal)
            {
                return new AccessContext(principal, (r, ct) => policy.GetActionsAsync(principal, r, ct), viaToken: false);
            }
            await WriteLoginFailureAsync(context, check);
            return null;
        }
        if (AuthorizationHeader.Bearer(request) is { } token)
        {
            if (await tokens.ValidateAsync(token) is not { } claims)
            {
                await AuthChallenge.WriteAsync(context, options, null, "invalid_token", "invalid, expired or foreign token");
                return null;
            }
            if (!await SubjectCurrentAsync(claims.Subject, claims.IssuedAt, claims.Stamp, context.RequestAborted))
            {
                await AuthChallenge.WriteAsync(context, options, null, "invalid_token", "the token's user no longer exists or changed their password");
                return null;
            }
            var principal = claims.Subject.Length == 0 ? Principal.Anonymous : new Principal(claims.Subject, false);
            return new AccessContext(principal, (r, ct) => HeldAsync(GrantedBy(claims, r), r, claims.IssuedAt, ct), viaToken: true) { Token = claims };
        }
        if (AuthorizationHeader.V1Token(request) is { } v1Token)
        {
            if (v1Tokens.Validate(v1Token) is not { } v1 || !await SubjectCurrentAsync(v1.Subject, v1.IssuedAt, v1.Stamp, context.RequestAborted))
            {
                context.Response.Headers.WWWAuthenticate = "Token";
                await ErrorEnvelope.WriteAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "invalid, expired or foreign V1 token");
                return null;
            }
            var principal = v1.Subject.Length == 0 ? Principal.Anonymous : new Principal(v1.Subject, false);
            var granted = v1.Write ? RepositoryActions.Pull | RepositoryActions.Push : RepositoryActions.Pull;
            return new AccessContext(principal, (r, ct) => HeldAsync(r == v1.Repository ? granted : RepositoryActions.None, r, v1.IssuedAt, ct),
                viaToken: false, v1.Repository);
        }
        return new AccessContext(Principal.Anonymous, (r, ct) => policy.GetActionsAsync(Principal.Anonymous, r, ct), viaToken: false);
    }

    internal Task WriteLoginFailureAsync(HttpContext context, CredentialCheck check) => check switch
    {
        { Outcome: AuthenticationOutcome.Unavailable } => ErrorEnvelope.WriteUnavailableAsync(context, "the authentication service is unavailable; try again later"),
        { Throttled: true } => ErrorEnvelope.WriteAsync(context, StatusCodes.Status429TooManyRequests, "TOOMANYREQUESTS",
            "too many failed logins; try again later"),
        _ => AuthChallenge.WriteAsync(context, options, null, null, "invalid user name or password"),
    };

    // A token names its user without the password and is not revocable, so a deleted user's tokens would otherwise
    // keep working until they expire: one keyed read per token request ends them at once (anonymous tokens need none).
    // The user must also be older than the token: a name deleted and signed up again must not inherit the old
    // account's unexpired tokens, with the minute of clock-skew leeway token lifetimes get (nodes' clocks differ; iat
    // has whole seconds). And the token must carry the user's credential stamp as it is now: a password change ends the
    // tokens handed out before it, as it ends remembered credentials and web sessions (bearer tokens issued before
    // tokens carried a stamp have none and run to their expiry). Tokens of an
    // external issuer (this node holds no signing key) name that issuer's accounts, which need not exist here.
    private async Task<bool> SubjectCurrentAsync(string subject, DateTimeOffset issuedAt, string? stamp, CancellationToken cancellationToken)
    {
        if (subject.Length == 0 || options.Keys?.Signing is null)
        {
            return true;
        }
        return await accounts.Users.GetAsync(subject, cancellationToken) is { } user
            && user.CreatedAt.ToUnixTimeSeconds() <= issuedAt.ToUnixTimeSeconds() + (long)TokenValidator.ClockSkew.TotalSeconds
            && (stamp is null || stamp == CredentialStamp.Of(user));
    }

    // What a token grants on a repository holds only while the account holding its namespace is older than the token:
    // a name deleted and taken by someone else does not hand the new owner's repositories to the old one's token holders
    // (NamespaceAges). Tokens of an external issuer name that issuer's namespaces and are taken as they are.
    private async Task<RepositoryActions> HeldAsync(RepositoryActions granted, RepositoryName repository, DateTimeOffset issuedAt, CancellationToken cancellationToken) =>
        granted == RepositoryActions.None || options.Keys?.Signing is null || await namespaces.PredatesAsync(repository, issuedAt, cancellationToken)
            ? granted
            : RepositoryActions.None;

    private async Task<Principal> PrincipalOfAsync(string? userName, CancellationToken cancellationToken) =>
        userName is null ? Principal.Anonymous
        : await accounts.Users.GetAsync(userName, cancellationToken) is { } user ? new Principal(user.Name, user.IsAdmin)
        : new Principal(userName, false);

    private static RepositoryActions GrantedBy(TokenClaims claims, RepositoryName repository) =>
        claims.Access.Where(a => a.Type == ResourceScope.RepositoryType && a.Name == repository.Value)
            .Aggregate(RepositoryActions.None, (all, a) => all | RepositoryActionNames.Parse(string.Join(',', a.Actions)));

    // The first push creates the repository: private, owned by the namespace's account (or by the admin pushing into
    // a namespace no account holds, so a later sign-up of that name gets nothing).
    private async Task RecordRepositoryAsync(RepositoryName repository, Principal pusher, CancellationToken cancellationToken)
    {
        var (ns, name) = AccessPolicy.Split(repository);
        if (name is not null && await accounts.Repositories.GetAsync(ns, name, cancellationToken) is null)
        {
            var owner = await ownership.OwnerForNewAsync(ns, pusher.UserName, cancellationToken);
            await accounts.Repositories.TryCreateAsync(new RepositoryPolicy(ns, name, false, null, time.GetUtcNow(), owner), cancellationToken);
        }
    }
}
