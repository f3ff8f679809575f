using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Uam;

/// <summary><c>/uam/user…</c>: sign-up, reading users, changing a password, deleting a user.</summary>
public sealed class UserHandler(UserService users)
{
    /// <summary><c>POST /uam/user/signup</c> <c>{"name","email","password","realname"?,"comment"?}</c> → 201.</summary>
    public async Task SignUpAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        var user = await users.SignUpAsync(body.String("name"), body.String("email"), body.String("password"),
            body.String("realname"), body.String("comment"), context.RequestAborted);
        // Whoever signed up is that user (maybe still anonymous to the authorizer), so they see their own record whole.
        await UamResponses.WriteAsync(context, StatusCodes.Status201Created, UamResponses.View(user, new Principal(user.Name, false)));
    }

    /// <summary><c>GET /uam/user/&lt;name&gt;</c>; e-mail and admin flag only to the user and administrators.</summary>
    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var user = await users.GetAsync(values["user"]!, context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, UamResponses.View(user, AccessContext.Of(context).Principal));
    }

    /// <summary><c>GET /uam/user?last=&amp;n=</c>: users in name order, each viewed as in <see cref="GetAsync"/>.</summary>
    public async Task ListAsync(HttpContext context, RouteValues values)
    {
        var (after, limit) = UamPaging.Parse(context.Request);
        var list = await users.ListAsync(after, limit, context.RequestAborted);
        var viewer = AccessContext.Of(context).Principal;
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, new { users = list.Select(u => UamResponses.View(u, viewer)) });
    }

    /// <summary><c>PUT /uam/user/&lt;name&gt;/password</c> <c>{"oldpassword","newpassword"}</c> → 204.</summary>
    public async Task ChangePasswordAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        await users.ChangePasswordAsync(AccessContext.Of(context).Principal, values["user"]!, body.String("oldpassword"),
            body.String("newpassword"), context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// <c>DELETE /uam/user/&lt;name&gt;</c> → 204, administrators only; 409 while the user owns repositories or
    /// authenticates through LDAP (see <see cref="UserService.DeleteAsync"/>).
    /// </summary>
    public async Task DeleteAsync(HttpContext context, RouteValues values)
    {
        await users.DeleteAsync(AccessContext.Of(context).Principal, values["user"]!, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
