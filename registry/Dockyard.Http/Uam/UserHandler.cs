using Dockyard.Core.Accounts;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Uam;

/// <summary><c>/uam/user…</c>: sign-up, reading users, changing a password.</summary>
public sealed class UserHandler(UserService users)
{
    /// <summary><c>POST /uam/user/signup</c> <c>{"name","email","password","realname"?,"comment"?}</c> → 201.</summary>
    public async Task SignUpAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        var user = await users.SignUpAsync(body.String("name"), body.String("email"), body.String("password"),
            body.String("realname"), body.String("comment"), context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status201Created, UamResponses.View(user));
    }

    /// <summary><c>GET /uam/user/&lt;name&gt;</c>.</summary>
    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var user = await users.GetAsync(values["user"]!, context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, UamResponses.View(user));
    }

    /// <summary><c>GET /uam/user?last=&amp;n=</c>: users in name order.</summary>
    public async Task ListAsync(HttpContext context, RouteValues values)
    {
        var (after, limit) = UamPaging.Parse(context.Request);
        var list = await users.ListAsync(after, limit, context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, new { users = list.Select(UamResponses.View) });
    }

    /// <summary><c>PUT /uam/user/&lt;name&gt;/password</c> <c>{"oldpassword","newpassword"}</c> → 204.</summary>
    public async Task ChangePasswordAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        await users.ChangePasswordAsync(AccessContext.Of(context).Principal, values["user"]!, body.String("oldpassword"),
            body.String("newpassword"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
