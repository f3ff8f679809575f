using Dockyard.Core.Accounts;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Uam;

/// <summary><c>/uam/repository…</c> and <c>DELETE /uam/&lt;owner&gt;/&lt;repo&gt;</c>: repository ownership and visibility.</summary>
public sealed class RepositoryHandler(RepositoryPolicyService repositories)
{
    /// <summary><c>POST /uam/repository</c> <c>{"name","ispublic","comment"?,"orgname"?,"username"?}</c> → 201.</summary>
    public async Task CreateAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        var policy = await repositories.CreateAsync(AccessContext.Of(context).Principal, body.String("name"), body.Bool("ispublic"),
            body.String("comment"), body.String("orgname"), body.String("username"), context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status201Created, UamResponses.View(policy));
    }

    /// <summary><c>PUT /uam/repository/&lt;owner&gt;/&lt;repo&gt;</c> <c>{"ispublic"?,"comment"?}</c> → 200.</summary>
    public async Task UpdateAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        var policy = await repositories.UpdateAsync(AccessContext.Of(context).Principal, values["owner"]!, values["name"]!,
            body.Bool("ispublic"), body.String("comment"), context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, UamResponses.View(policy));
    }

    /// <summary><c>DELETE /uam/&lt;owner&gt;/&lt;repo&gt;</c> → 204: the repository, its tags and manifests.</summary>
    public async Task DeleteAsync(HttpContext context, RouteValues values)
    {
        await repositories.DeleteAsync(AccessContext.Of(context).Principal, values["owner"]!, values["name"]!, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>GET /uam/repository/&lt;owner&gt;/&lt;repo&gt;</c>: visibility and team permits (404 to those who may not pull).</summary>
    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var (policy, grants) = await repositories.GetAsync(AccessContext.Of(context).Principal, values["owner"]!, values["name"]!, context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, UamResponses.View(policy, grants));
    }

    /// <summary><c>GET /uam/repository/&lt;owner&gt;</c>: the owner's repositories the caller may pull.</summary>
    public async Task ListAsync(HttpContext context, RouteValues values)
    {
        var list = await repositories.ListAsync(AccessContext.Of(context).Principal, values["owner"]!, context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, new { repositories = list.Select(UamResponses.View) });
    }
}
