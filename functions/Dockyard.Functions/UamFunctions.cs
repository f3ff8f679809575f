using Dockyard.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Dockyard.Functions.Methods;

namespace Dockyard.Functions;

/// <summary>
/// One function per UAM route of the shared route table (named after it, <c>.</c> → <c>-</c>), the token endpoint
/// <c>uam-auth</c> among them. A repository <c>{name}</c> may hold slashes, so it is a catch-all, always the last
/// segment. Each hands the request to the dispatcher, which matches the route table again: the functions only decide
/// which paths reach the worker. The host tries routes in function-name order and the first match wins, so the DELETE
/// catch-all <c>uam-repository-delete</c> (which sorts before <c>uam-team*</c> and <c>uam-user</c>) is constrained off the
/// team, organization and user routes and needs a name, leaving <c>/uam/{org}</c> to <c>uam-organization-delete</c>.
/// </summary>
public sealed class UamFunctions(RegistryDispatcher dispatcher)
{
    /// <summary><c>/uam/{owner}/{name}</c> where the owner is not <c>team</c>, <c>organization</c> or <c>user</c> (their own routes; all three are reserved names) and the name is not empty.</summary>
    public const string RepositoryDeleteRoute = "uam/{owner:regex(^(?!(team|organization|user)$))}/{*name:minlength(1)}";

    [Function("uam-auth")]
    public Task<IActionResult> Auth([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = "uam/auth")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-user-signup")]
    public Task<IActionResult> UserSignup([HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = "uam/user/signup")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-users")]
    public Task<IActionResult> Users([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = "uam/user")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-user-password")]
    public Task<IActionResult> UserPassword([HttpTrigger(AuthorizationLevel.Anonymous, Put, Route = "uam/user/{user}/password")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-user")]
    public Task<IActionResult> User([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Delete, Route = "uam/user/{user}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-organizations")]
    public Task<IActionResult> Organizations([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Post, Route = "uam/organization")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-organization-adduser")]
    public Task<IActionResult> OrganizationAddUser([HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = "uam/organization/adduser")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-organization-removeuser")]
    public Task<IActionResult> OrganizationRemoveUser([HttpTrigger(AuthorizationLevel.Anonymous, Delete, Route = "uam/organization/removeuser/{org}/{user}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-organization-members")]
    public Task<IActionResult> OrganizationMembers([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = "uam/organization/{org}/members")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-organization")]
    public Task<IActionResult> Organization([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = "uam/organization/{org}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-teams-create")]
    public Task<IActionResult> TeamsCreate([HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = "uam/team")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-team-adduser")]
    public Task<IActionResult> TeamAddUser([HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = "uam/team/adduser")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-team-addrepository")]
    public Task<IActionResult> TeamAddRepository([HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = "uam/team/addrepository")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-team-removeuser")]
    public Task<IActionResult> TeamRemoveUser([HttpTrigger(AuthorizationLevel.Anonymous, Delete, Route = "uam/team/removeuser/{org}/{team}/{user}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-team-removerepository")]
    public Task<IActionResult> TeamRemoveRepository([HttpTrigger(AuthorizationLevel.Anonymous, Delete, Route = "uam/team/removerepository/{org}/{team}/{*name}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-team")]
    public Task<IActionResult> Team([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Delete, Route = "uam/team/{org}/{team}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-teams")]
    public Task<IActionResult> Teams([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = "uam/team/{org}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-repositories-create")]
    public Task<IActionResult> RepositoriesCreate([HttpTrigger(AuthorizationLevel.Anonymous, Post, Route = "uam/repository")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-repository")]
    public Task<IActionResult> Repository([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Put, Route = "uam/repository/{owner}/{*name}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-repositories")]
    public Task<IActionResult> Repositories([HttpTrigger(AuthorizationLevel.Anonymous, Get, Head, Route = "uam/repository/{owner}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-repository-delete")]
    public Task<IActionResult> RepositoryDelete([HttpTrigger(AuthorizationLevel.Anonymous, Delete, Route = RepositoryDeleteRoute)] HttpRequest request) =>
        dispatcher.HandleAsync(request);

    [Function("uam-organization-delete")]
    public Task<IActionResult> OrganizationDelete([HttpTrigger(AuthorizationLevel.Anonymous, Delete, Route = "uam/{org}")] HttpRequest request) =>
        dispatcher.HandleAsync(request);
}
