using System.Text.Json.Nodes;
using Dockyard.Core.Accounts;

namespace Dockyard.Server.Cli.Admin;

/// <summary>
/// The admin operations on a running registry (<c>--registry URL</c>) as the signed-in user: the UAM API with Basic
/// credentials, the V2 API for tags (see <see cref="RegistryHttpClient"/> for the token exchange).
/// </summary>
internal sealed class RemoteRegistryAdmin(RegistryHttpClient http) : IRegistryAdmin
{
    public async Task<JsonArray> ListUsersAsync(CancellationToken cancellationToken) =>
        await http.ListAllAsync("uam/user", "users", "name", cancellationToken);

    public Task<JsonNode> GetUserAsync(string name, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Get, $"uam/user/{Path(name)}", null, cancellationToken);

    public Task<JsonNode> AddUserAsync(string name, string? password, string? email, bool admin, CancellationToken cancellationToken) =>
        admin
            ? throw new AdminException("--admin applies to the local store; the API cannot create administrators")
            : http.SendAsync(HttpMethod.Post, "uam/user/signup", new { name, email, password }, cancellationToken);

    public Task ChangePasswordAsync(string name, string? oldPassword, string newPassword, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Put, $"uam/user/{Path(name)}/password", new { oldpassword = oldPassword, newpassword = newPassword }, cancellationToken);

    public Task DeleteUserAsync(string name, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Delete, $"uam/user/{Path(name)}", null, cancellationToken);

    public async Task<JsonArray> ListOrganizationsAsync(CancellationToken cancellationToken) =>
        await http.ListAllAsync("uam/organization", "organizations", "name", cancellationToken);

    public Task<JsonNode> GetOrganizationAsync(string name, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Get, $"uam/organization/{Path(name)}", null, cancellationToken);

    public Task<JsonNode> CreateOrganizationAsync(string name, string? email, string? comment, string? admin, CancellationToken cancellationToken) =>
        admin is not null
            ? throw new AdminException("--admin applies to the local store; on a registry the signed-in user becomes the organization's admin")
            : http.SendAsync(HttpMethod.Post, "uam/organization", new { name, email, comment }, cancellationToken);

    public Task DeleteOrganizationAsync(string name, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Delete, $"uam/{Path(name)}", null, cancellationToken);

    public async Task<JsonArray> ListMembersAsync(string organization, CancellationToken cancellationToken) =>
        Items(await http.SendAsync(HttpMethod.Get, $"uam/organization/{Path(organization)}/members", null, cancellationToken), "members");

    public Task<JsonNode> AddMemberAsync(string organization, string user, OrganizationRole role, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Post, "uam/organization/adduser", new { orgname = organization, username = user, role = (int)role }, cancellationToken);

    public Task RemoveMemberAsync(string organization, string user, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Delete, $"uam/organization/removeuser/{Path(organization)}/{Path(user)}", null, cancellationToken);

    public async Task<JsonArray> ListTeamsAsync(string organization, CancellationToken cancellationToken) =>
        Items(await http.SendAsync(HttpMethod.Get, $"uam/team/{Path(organization)}", null, cancellationToken), "teams");

    public Task<JsonNode> GetTeamAsync(string organization, string team, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Get, $"uam/team/{Path(organization)}/{Path(team)}", null, cancellationToken);

    public Task<JsonNode> CreateTeamAsync(string organization, string team, string? comment, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Post, "uam/team", new { orgname = organization, teamname = team, comment }, cancellationToken);

    public Task DeleteTeamAsync(string organization, string team, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Delete, $"uam/team/{Path(organization)}/{Path(team)}", null, cancellationToken);

    public Task<JsonNode> AddTeamMemberAsync(string organization, string team, string user, TeamRole role, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Post, "uam/team/adduser", new { orgname = organization, teamname = team, username = user, role = (int)role }, cancellationToken);

    public Task RemoveTeamMemberAsync(string organization, string team, string user, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Delete, $"uam/team/removeuser/{Path(organization)}/{Path(team)}/{Path(user)}", null, cancellationToken);

    public Task<JsonNode> GrantAsync(string organization, string team, string repository, TeamPermit permit, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Post, "uam/team/addrepository", new { orgname = organization, teamname = team, reponame = repository, permit = (int)permit }, cancellationToken);

    public Task RevokeAsync(string organization, string team, string repository, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Delete, $"uam/team/removerepository/{Path(organization)}/{Path(team)}/{Path(repository)}", null, cancellationToken);

    public async Task<JsonArray> ListRepositoriesAsync(string ns, CancellationToken cancellationToken) =>
        Items(await http.SendAsync(HttpMethod.Get, $"uam/repository/{Path(ns)}", null, cancellationToken), "repositories");

    public Task<JsonNode> GetRepositoryAsync(string ns, string name, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Get, $"uam/repository/{Path(ns)}/{Path(name)}", null, cancellationToken);

    public async Task<JsonNode> CreateRepositoryAsync(string ns, string name, bool isPublic, string? comment, CancellationToken cancellationToken)
    {
        // The API wants to know whether the namespace is an organization's or a user's.
        var isOrganization = await http.ExistsAsync($"uam/organization/{Path(ns)}", cancellationToken);
        return await http.SendAsync(HttpMethod.Post, "uam/repository", new
        {
            name, ispublic = isPublic, comment, orgname = isOrganization ? ns : null, username = isOrganization ? null : ns,
        }, cancellationToken);
    }

    public Task<JsonNode> SetVisibilityAsync(string ns, string name, bool isPublic, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Put, $"uam/repository/{Path(ns)}/{Path(name)}", new { ispublic = isPublic }, cancellationToken);

    public Task DeleteRepositoryAsync(string ns, string name, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Delete, $"uam/{Path(ns)}/{Path(name)}", null, cancellationToken);

    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken) =>
        http.ListTagsAsync(repository, cancellationToken);

    public Task DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken) =>
        tag.Contains(':')
            ? throw new AdminException($"'{tag}' is a digest; tag rm deletes tags only")
            : http.SendAsync(HttpMethod.Delete, $"v2/{repository}/manifests/{Path(tag)}", null, cancellationToken, $"repository:{repository}:delete");

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Path(string segment) => Uri.EscapeDataString(segment);

    private static JsonArray Items(JsonNode body, string property) =>
        body[property] as JsonArray ?? throw new AdminException($"the registry answered without '{property}'");
}
