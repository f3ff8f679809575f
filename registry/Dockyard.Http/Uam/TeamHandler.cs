using Dockyard.Core.Accounts;
using Dockyard.Http.Auth;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Uam;

/// <summary><c>/uam/team…</c>: teams, their members and their repository permits.</summary>
public sealed class TeamHandler(TeamService teams)
{
    /// <summary><c>POST /uam/team</c> <c>{"teamname","comment"?,"orgname"}</c> → 201.</summary>
    public async Task CreateAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        var team = await teams.CreateAsync(AccessContext.Of(context).Principal, body.String("orgname"), body.String("teamname"),
            body.String("comment"), context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status201Created, UamResponses.View(team));
    }

    /// <summary><c>DELETE /uam/team/&lt;org&gt;/&lt;team&gt;</c> → 204.</summary>
    public async Task DeleteAsync(HttpContext context, RouteValues values)
    {
        await teams.DeleteAsync(AccessContext.Of(context).Principal, values["org"]!, values["team"]!, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>GET /uam/team/&lt;org&gt;</c>: the organization's teams (members only).</summary>
    public async Task ListAsync(HttpContext context, RouteValues values)
    {
        var list = await teams.ListAsync(AccessContext.Of(context).Principal, values["org"]!, context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, new { teams = list.Select(UamResponses.View) });
    }

    /// <summary><c>GET /uam/team/&lt;org&gt;/&lt;team&gt;</c>: the team with its members and repositories (members only).</summary>
    public async Task GetAsync(HttpContext context, RouteValues values)
    {
        var (team, members, repositories) = await teams.GetAsync(AccessContext.Of(context).Principal, values["org"]!, values["team"]!, context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status200OK, UamResponses.View(team, members, repositories));
    }

    /// <summary><c>POST /uam/team/adduser</c> <c>{"teamname","orgname","username","role"}</c> (admin=5, member=6) → 201.</summary>
    public async Task AddUserAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        var member = await teams.AddUserAsync(AccessContext.Of(context).Principal, body.String("orgname"), body.String("teamname"),
            body.String("username"), body.Int("role"), context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status201Created, UamResponses.View(member));
    }

    /// <summary><c>DELETE /uam/team/removeuser/&lt;org&gt;/&lt;team&gt;/&lt;user&gt;</c> → 204.</summary>
    public async Task RemoveUserAsync(HttpContext context, RouteValues values)
    {
        await teams.RemoveUserAsync(AccessContext.Of(context).Principal, values["org"]!, values["team"]!, values["user"]!, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>POST /uam/team/addrepository</c> <c>{"orgname","reponame","teamname","permit"}</c> (WRITE=2, READ=3) → 201.</summary>
    public async Task AddRepositoryAsync(HttpContext context, RouteValues values)
    {
        var body = await UamBody.ReadAsync(context.Request);
        var grant = await teams.AddRepositoryAsync(AccessContext.Of(context).Principal, body.String("orgname"), body.String("reponame"),
            body.String("teamname"), body.Int("permit"), context.RequestAborted);
        await UamResponses.WriteAsync(context, StatusCodes.Status201Created, UamResponses.View(grant));
    }

    /// <summary><c>DELETE /uam/team/removerepository/&lt;org&gt;/&lt;team&gt;/&lt;repo&gt;</c> → 204.</summary>
    public async Task RemoveRepositoryAsync(HttpContext context, RouteValues values)
    {
        await teams.RemoveRepositoryAsync(AccessContext.Of(context).Principal, values["org"]!, values["team"]!, values["name"]!, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
