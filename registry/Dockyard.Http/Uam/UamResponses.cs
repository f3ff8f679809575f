using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Uam;

/// <summary>JSON views of UAM entities (never a password hash), with the original API's lower-case field names.</summary>
public static class UamResponses
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = null };

    public static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), Options, context.RequestAborted);
    }

    /// <summary>A view as the JSON the API answers with (for the admin CLI, which prints local results as the API would).</summary>
    public static JsonNode ToJson(object view) => JsonSerializer.SerializeToNode(view, view.GetType(), Options)!;

    /// <summary>The user as <paramref name="viewer"/> may see them: everything for registry administrators and the user themselves,
    /// else without the e-mail address and the admin flag (absent, not null: a null e-mail would read as "none").</summary>
    public static object View(User user, Principal viewer) => viewer.IsAdmin || viewer.UserName == user.Name
        ? new
        {
            name = user.Name, email = user.Email, realname = user.RealName, comment = user.Comment, admin = user.IsAdmin,
            source = user.Source, created = user.CreatedAt,
        }
        : new { name = user.Name, realname = user.RealName, comment = user.Comment, source = user.Source, created = user.CreatedAt };

    public static object View(Organization organization) => new
    {
        name = organization.Name, email = organization.Email, comment = organization.Comment, url = organization.Url,
        location = organization.Location, memberprivilege = (int)organization.MemberPrivilege, created = organization.CreatedAt,
    };

    public static object View(OrganizationMember member) => new { orgname = member.Organization, username = member.User, role = (int)member.Role };

    public static object View(Team team) => new { orgname = team.Organization, teamname = team.Name, comment = team.Comment };

    /// <summary>The team with its members and repository grants (<c>GET /uam/team/&lt;org&gt;/&lt;team&gt;</c>).</summary>
    public static object View(Team team, IEnumerable<TeamMember> members, IEnumerable<TeamRepository> repositories) => new
    {
        orgname = team.Organization, teamname = team.Name, comment = team.Comment,
        members = members.Select(View), repositories = repositories.Select(View),
    };

    /// <summary>The repository with the team grants on it (<c>GET /uam/repository/&lt;owner&gt;/&lt;repo&gt;</c>).</summary>
    public static object View(RepositoryPolicy policy, IEnumerable<TeamRepository> grants) => new
    {
        name = policy.Name, @namespace = policy.Namespace, fullname = policy.FullName, ispublic = policy.IsPublic,
        comment = policy.Comment, created = policy.CreatedAt, teams = grants.Select(View),
    };

    public static object View(TeamMember member) =>
        new { orgname = member.Organization, teamname = member.Team, username = member.User, role = (int)member.Role };

    public static object View(TeamRepository grant) =>
        new { orgname = grant.Organization, teamname = grant.Team, reponame = grant.Repository, permit = (int)grant.Permit };

    public static object View(RepositoryPolicy policy) => new
    {
        name = policy.Name, @namespace = policy.Namespace, fullname = policy.FullName, ispublic = policy.IsPublic,
        comment = policy.Comment, created = policy.CreatedAt,
    };
}
