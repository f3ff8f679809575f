using Dockyard.Http.Routing;
using Dockyard.Http.Token;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Uam;

/// <summary>
/// The original Dockyard's UAM routes plus the reads and password change beside them, and the token endpoint.
/// Fixed paths come before the catch-all <c>/uam/&lt;owner&gt;/&lt;repo&gt;</c> and <c>/uam/&lt;org&gt;</c> deletes.
/// </summary>
public static class UamRoutes
{
    public static IEnumerable<RouteDefinition> Create(TokenHandler token, UserHandler users, OrganizationHandler organizations,
        TeamHandler teams, RepositoryHandler repositories)
    {
        const AccessRequirement Anyone = AccessRequirement.Anonymous;
        const AccessRequirement User = AccessRequirement.Account;
        string get = HttpMethods.Get, post = HttpMethods.Post, put = HttpMethods.Put, delete = HttpMethods.Delete;

        yield return new("uam.auth", "/uam/auth", RouteMethods.Of((get, Anyone, token.IssueAsync)));
        yield return new("uam.user.signup", "/uam/user/signup", RouteMethods.Of((post, Anyone, users.SignUpAsync)));
        yield return new("uam.users", "/uam/user", RouteMethods.Of((get, User, users.ListAsync)));
        yield return new("uam.user.password", "/uam/user/{user}/password", RouteMethods.Of((put, User, users.ChangePasswordAsync)));
        yield return new("uam.user", "/uam/user/{user}", RouteMethods.Of((get, User, users.GetAsync), (delete, User, users.DeleteAsync)));
        yield return new("uam.organizations", "/uam/organization", RouteMethods.Of((get, User, organizations.ListAsync), (post, User, organizations.CreateAsync)));
        yield return new("uam.organization.adduser", "/uam/organization/adduser", RouteMethods.Of((post, User, organizations.AddUserAsync)));
        yield return new("uam.organization.removeuser", "/uam/organization/removeuser/{org}/{user}", RouteMethods.Of((delete, User, organizations.RemoveUserAsync)));
        yield return new("uam.organization.members", "/uam/organization/{org}/members", RouteMethods.Of((get, User, organizations.ListMembersAsync)));
        yield return new("uam.organization", "/uam/organization/{org}", RouteMethods.Of((get, User, organizations.GetAsync)));
        yield return new("uam.teams.create", "/uam/team", RouteMethods.Of((post, User, teams.CreateAsync)));
        yield return new("uam.team.adduser", "/uam/team/adduser", RouteMethods.Of((post, User, teams.AddUserAsync)));
        yield return new("uam.team.addrepository", "/uam/team/addrepository", RouteMethods.Of((post, User, teams.AddRepositoryAsync)));
        yield return new("uam.team.removeuser", "/uam/team/removeuser/{org}/{team}/{user}", RouteMethods.Of((delete, User, teams.RemoveUserAsync)));
        yield return new("uam.team.removerepository", "/uam/team/removerepository/{org}/{team}/{name}", RouteMethods.Of((delete, User, teams.RemoveRepositoryAsync)));
        yield return new("uam.team", "/uam/team/{org}/{team}", RouteMethods.Of((get, User, teams.GetAsync), (delete, User, teams.DeleteAsync)));
        yield return new("uam.teams", "/uam/team/{org}", RouteMethods.Of((get, User, teams.ListAsync)));
        yield return new("uam.repositories.create", "/uam/repository", RouteMethods.Of((post, User, repositories.CreateAsync)));
        yield return new("uam.repository", "/uam/repository/{owner}/{name}", RouteMethods.Of((get, User, repositories.GetAsync), (put, User, repositories.UpdateAsync)));
        yield return new("uam.repositories", "/uam/repository/{owner}", RouteMethods.Of((get, User, repositories.ListAsync)));
        yield return new("uam.repository.delete", "/uam/{owner}/{name}", RouteMethods.Of((delete, User, repositories.DeleteAsync)));
        yield return new("uam.organization.delete", "/uam/{org}", RouteMethods.Of((delete, User, organizations.DeleteAsync)));
    }
}
