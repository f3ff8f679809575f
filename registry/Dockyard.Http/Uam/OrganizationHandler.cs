using Dockyard.Core.Accounts;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Uam;

/// <summary><c>/uam/organization…</c> and <c>DELETE /uam/&lt;org&gt;</c>: organizations and their members.</summary>
public sealed class OrganizationHandler(OrganizationService organizations)
{
    /// <summary><c>POST /uam/organization</c> <c>{"name","email"?,"comment"?,"url"?,"location"?,"memberprivilege"?}</c> → 201.</summary>
    public async Task CreateAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        var organization = await organizations.CreateAsync(AccessContext.Of(context).Principal, body.String("name"), body.String("email"),
            body.String("comment"), body.String("url"), body.String("location"), body.Int("memberprivilege"), context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status201Created, UamResponses.View(organization));
    }

    /// <summary><c>DELETE /uam/&lt;org&gt;</c> → 204.</summary>
    public async Task DeleteAsync(HttpContext context, RouteValues values)
    {
        await organizations.DeleteAsync(AccessContext.Of(context).Principal, values["org"]!, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>GET /uam/organization/&lt;org&gt;</c>.</summary>
    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var organization = await organizations.GetAsync(values["org"]!, context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, UamResponses.View(organization));
    }

    /// <summary><c>GET /uam/organization?last=&amp;n=</c>.</summary>
    public async Task ListAsync(HttpContext context, RouteValues values)
    {
        var (after, limit) = UamPaging.Parse(context.Request);
        var list = await organizations.ListAsync(after, limit, context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, new { organizations = list.Select(UamResponses.View) });
    }

    /// <summary><c>GET /uam/organization/&lt;org&gt;/members</c> (members only).</summary>
    public async Task ListMembersAsync(HttpContext context, RouteValues values)
    {
        var members = await organizations.ListMembersAsync(AccessContext.Of(context).Principal, values["org"]!, context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, new { members = members.Select(UamResponses.View) });
    }

    /// <summary><c>POST /uam/organization/adduser</c> <c>{"username","role","orgname"}</c> (role admin=3, member=4) → 201.</summary>
    public async Task AddUserAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        var member = await organizations.AddUserAsync(AccessContext.Of(context).Principal, body.String("orgname"), body.String("username"),
            body.Int("role"), context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status201Created, UamResponses.View(member));
    }

    /// <summary><c>DELETE /uam/organization/removeuser/&lt;org&gt;/&lt;user&gt;</c> → 204.</summary>
    public async Task RemoveUserAsync(HttpContext context, RouteValues values)
    {
        await organizations.RemoveUserAsync(AccessContext.Of(context).Principal, values["org"]!, values["user"]!, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
