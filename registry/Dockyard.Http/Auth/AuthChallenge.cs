using Dockyard.Http.Errors;
using Dockyard.Http.V2;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Auth;

/// <summary>The 401 answer that sends Docker clients to the token endpoint: <c>WWW-Authenticate: Bearer realm,service,scope</c>.</summary>
public static class AuthChallenge
{
    /// <param name="scope">The scope the client should ask for; null for none (e.g. <c>GET /v2/</c>).</param>
    /// <param name="error">The RFC 6750 error (<c>invalid_token</c>, <c>insufficient_scope</c>); null for none.</param>
    public static Task WriteAsync(HttpContext context, RegistryAuthOptions options, string? scope, string? error, string message)
    {
        var realm = options.Realm ?? RegistryUrls.Absolute(context.Request, "/uam/auth");
        var header = $"Bearer realm=\"{realm}\",service=\"{options.Service}\"";
        if (scope is not null)
        {
            header += $",scope=\"{scope}\"";
        }
        if (error is not null)
        {
            header += $",error=\"{error}\"";
        }
        context.Response.Headers.WWWAuthenticate = header;
        return ErrorEnvelope.WriteAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED", message,
            scope is null ? null : new { scope });
    }
}
