using System.Text.Json.Nodes;
using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Http.Uam;

namespace Dockyard.Server.Cli.Admin;

/// <summary>
/// The admin operations on the configured stores, through the same Core services the API uses, acting as a registry
/// administrator: whoever may read runtime.conf and the stores owns the registry already.
/// </summary>
internal sealed class LocalRegistryAdmin(IServiceProvider services) : IRegistryAdmin
{
    private const int Page = 1000;
    private static readonly Principal Administrator = new("dockyard-cli", IsAdmin: true);

    private UserService Users => services.GetRequiredService<UserService>();
    private OrganizationService Organizations => services.GetRequiredService<OrganizationService>();
    private TeamService Teams => services.GetRequiredService<TeamService>();
    private RepositoryPolicyService Repositories => services.GetRequiredService<RepositoryPolicyService>();

    public async Task<JsonArray> ListUsersAsync(CancellationToken cancellationToken) =>
        await AllAsync((after, limit) => Users.ListAsync(after, limit, cancellationToken), u => u.Name, u => UamResponses.View(u, Administrator));

    public async Task<JsonNode> GetUserAsync(string name, CancellationToken cancellationToken) =>
        Json(UamResponses.View(await Users.GetAsync(name, cancellationToken), Administrator));

    public async Task<JsonNode> AddUserAsync(string name, string? password, string? email, bool admin, CancellationToken cancellationToken) =>
        Json(UamResponses.View(await Users.AddAsync(name, password, email, admin, cancellationToken), Administrator));

    public Task ChangePasswordAsync(string name, string? oldPassword, string newPassword, CancellationToken cancellationToken) =>
        Users.ChangePasswordAsync(Administrator, name, oldPassword, newPassword, null, cancellationToken);

    public Task DeleteUserAsync(string name, CancellationToken cancellationToken) =>
        Users.DeleteAsync(Administrator, name, cancellationToken);

    public async Task<JsonArray> ListOrganizationsAsync(CancellationToken cancellationToken) =>
        await AllAsync((after, limit) => Organizations.ListAsync(after, limit, cancellationToken), o => o.Name, o => UamResponses.View(o));

    public async Task<JsonNode> GetOrganizationAsync(string name, CancellationToken cancellationToken) =>
        Json(UamResponses.View(await Organizations.GetAsync(name, cancellationToken)));

    public async Task<JsonNode> CreateOrganizationAsync(string name, string? email, string? comment, string? admin, CancellationToken cancellationToken)
    {
        // The store makes the creator the organization's first admin, so locally the creator is the user named here.
        var creator = await Users.GetAsync(admin ?? throw new AdminException("--admin USER is required: an organization starts with one admin"), cancellationToken);
        return Json(UamResponses.View(await Organizations.CreateAsync(new Principal(creator.Name, IsAdmin: true), name, email, comment, null, null, null, cancellationToken)));
    }

    public Task DeleteOrganizationAsync(string name, CancellationToken cancellationToken) =>
        Organizations.DeleteAsync(Administrator, name, cancellationToken);

    public async Task<JsonArray> ListMembersAsync(string organization, CancellationToken cancellationToken) =>
        Array((await Organizations.ListMembersAsync(Administrator, organization, cancellationToken)).Select(UamResponses.View));

    public async Task<JsonNode> AddMemberAsync(string organization, string user, OrganizationRole role, CancellationToken cancellationToken) =>
        Json(UamResponses.View(await Organizations.AddUserAsync(Administrator, organization, user, (int)role, cancellationToken)));

    public Task RemoveMemberAsync(string organization, string user, CancellationToken cancellationToken) =>
        Organizations.RemoveUserAsync(Administrator, organization, user, cancellationToken);

    public async Task<JsonArray> ListTeamsAsync(string organization, CancellationToken cancellationToken) =>
        Array((await Teams.ListAsync(Administrator, organization, cancellationToken)).Select(UamResponses.View));

    public async Task<JsonNode> GetTeamAsync(string organization, string team, CancellationToken cancellationToken)
    {
        var (found, members, repositories) = await Teams.GetAsync(Administrator, organization, team, cancellationToken);
        return Json(UamResponses.View(found, members, repositories));
    }

    public async Task<JsonNode> CreateTeamAsync(string organization, string team, string? comment, CancellationToken cancellationToken) =>
        Json(UamResponses.View(await Teams.CreateAsync(Administrator, organization, team, comment, cancellationToken)));

    public Task DeleteTeamAsync(string organization, string team, CancellationToken cancellationToken) =>
        Teams.DeleteAsync(Administrator, organization, team, cancellationToken);

    public async Task<JsonNode> AddTeamMemberAsync(string organization, string team, string user, TeamRole role, CancellationToken cancellationToken) =>
        Json(UamResponses.View(await Teams.AddUserAsync(Administrator, organization, team, user, (int)role, cancellationToken)));

    public Task RemoveTeamMemberAsync(string organization, string team, string user, CancellationToken cancellationToken) =>
        Teams.RemoveUserAsync(Administrator, organization, team, user, cancellationToken);

    public async Task<JsonNode> GrantAsync(string organization, string team, string repository, TeamPermit permit, CancellationToken cancellationToken) =>
        Json(UamResponses.View(await Teams.AddRepositoryAsync(Administrator, organization, repository, team, (int)permit, cancellationToken)));

    public Task RevokeAsync(string organization, string team, string repository, CancellationToken cancellationToken) =>
        Teams.RemoveRepositoryAsync(Administrator, organization, team, repository, cancellationToken);

    public async Task<JsonArray> ListRepositoriesAsync(string ns, CancellationToken cancellationToken) =>
        Array((await Repositories.ListAsync(Administrator, ns, cancellationToken)).Select(p => UamResponses.View(p)));

    public async Task<JsonNode> GetRepositoryAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var (policy, grants) = await Repositories.GetAsync(Administrator, ns, name, cancellationToken);
        return Json(UamResponses.View(policy, grants));
    }

    public async Task<JsonNode> CreateRepositoryAsync(string ns, string name, bool isPublic, string? comment, CancellationToken cancellationToken)
    {
        var isOrganization = (await services.GetRequiredService<IAccountStore>().Organizations.GetAsync(ns, cancellationToken)) is not null;
        return Json(UamResponses.View(await Repositories.CreateAsync(Administrator, name, isPublic, comment,
            isOrganization ? ns : null, isOrganization ? null : ns, cancellationToken)));
    }

    public async Task<JsonNode> SetVisibilityAsync(string ns, string name, bool isPublic, CancellationToken cancellationToken) =>
        Json(UamResponses.View(await Repositories.UpdateAsync(Administrator, ns, name, isPublic, null, cancellationToken)));

    public Task DeleteRepositoryAsync(string ns, string name, CancellationToken cancellationToken) =>
        Repositories.DeleteAsync(Administrator, ns, name, cancellationToken);

    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var name = RepositoryName.Parse(repository);
        var tags = services.GetRequiredService<IMetadataStore>().Tags;
        var all = new List<string>();
        IReadOnlyList<string> page;
        do
        {
            page = await tags.ListAsync(name, all.Count > 0 ? all[^1] : null, Page, cancellationToken);
            all.AddRange(page);
        }
        while (page.Count == Page);
        return all;
    }

    public Task DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var reference = ManifestReference.Parse(tag);
        return reference.Tag is null
            ? throw new AdminException($"'{tag}' is a digest; tag rm deletes tags only")
            : services.GetRequiredService<ManifestService>().DeleteAsync(RepositoryName.Parse(repository), reference, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static JsonNode Json(object view) => UamResponses.ToJson(view);

    private static JsonArray Array(IEnumerable<object> views) => new([.. views.Select(Json)]);

    private static async Task<JsonArray> AllAsync<T>(Func<string?, int, Task<IReadOnlyList<T>>> list, Func<T, string> key, Func<T, object> view)
    {
        var all = new JsonArray();
        string? after = null;
        IReadOnlyList<T> page;
        do
        {
            page = await list(after, Page);
            foreach (var item in page)
            {
                all.Add(Json(view(item)));
            }
            after = page.Count > 0 ? key(page[^1]) : after;
        }
        while (page.Count == Page);
        return all;
    }
}
