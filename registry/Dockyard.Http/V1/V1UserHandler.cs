using System.Text.Json;
using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Core.Errors;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V1;

/// <summary>
/// <c>/v1/users/</c>, as docker 1.x <c>login</c> uses it: <c>POST</c> <c>{"username","password","email"}</c> signs up (201;
/// an existing name answers 400 <c>"Username or email already exists"</c>, the cue to try <c>GET</c>), and <c>GET</c>
/// with Basic credentials answers 200 when they are valid, 401 when not.
/// </summary>
public sealed class V1UserHandler(UserService users, CredentialVerifier verifier, RequestAuthorizer authorizer)
{
    public async Task LoginAsync(HttpContext context, RouteValues values)
    {
        if (AuthorizationHeader.Basic(context.Request) is not var (user, password))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Dockyard\"";
            await V1Json.WriteAsync(context, StatusCodes.Status401Unauthorized, "Basic credentials are required");
            return;
        }
        var check = await verifier.VerifyAsync(user, password, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
        if (check.Principal is null)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Dockyard\"";
            await authorizer.WriteLoginFailureAsync(context, check);
            return;
        }
        await V1Json.WriteAsync(context, StatusCodes.Status200OK, "OK");
    }

    public async Task SignUpAsync(HttpContext context, RouteValues values)
    {
        var body = await V1Json.ReadAsync(context.Request);
        if (body is not { ValueKind: JsonValueKind.Object } fields)
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "the body must be a JSON object {\"username\",\"password\",\"email\"}", new { field = "body" });
        }
        try
        {
            await users.SignUpAsync(Text(fields, "username"), Text(fields, "email"), Text(fields, "password"), null, null, context.RequestAborted);
        }
        // With LDAP there is no sign-up (DENIED): the same answer as a taken name sends docker 1.x on to GET /v1/users/,
        // its login, which checks the directory password.
        catch (RegistryException e) when (e.Code is RegistryErrorCode.Conflict or RegistryErrorCode.Denied)
        {
            await V1Json.WriteAsync(context, StatusCodes.Status400BadRequest, "Username or email already exists");
            return;
        }
        await V1Json.WriteAsync(context, StatusCodes.Status201Created, "User Created");
    }

    private static string? Text(JsonElement fields, string name) =>
        fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
