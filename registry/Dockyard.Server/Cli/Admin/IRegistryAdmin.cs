using System.Text.Json.Nodes;
using Dockyard.Core.Accounts;

namespace Dockyard.Server.Cli.Admin;

/// <summary>
/// What the admin CLI can do, on the local stores (<see cref="LocalRegistryAdmin"/>, as a registry administrator) or
/// on a running registry (<see cref="RemoteRegistryAdmin"/>, as the signed-in user, through the UAM and V2 APIs).
/// Results are the UAM API's JSON views in both cases, so <c>--json</c> prints the same thing either way.
/// </summary>
/// <remarks>
/// Every method throws <see cref="AdminException"/> for a refusal (unknown name, conflict, denied): "not yours" and
/// "does not exist" look the same, as on the API.
/// </remarks>
internal interface IRegistryAdmin : IAsyncDisposable
{
    Task<JsonArray> ListUsersAsync(CancellationToken cancellationToken);

    Task<JsonNode> GetUserAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates a user with a password (local: optionally a registry administrator; remote: signs up, never an administrator).</summary>
    Task<JsonNode> AddUserAsync(string name, string? password, string? email, bool admin, CancellationToken cancellationToken);

    /// <summary>Sets the user's password (local: as an administrator; remote: allowed to the user and administrators).</summary>
    Task ChangePasswordAsync(string name, string? oldPassword, string newPassword, CancellationToken cancellationToken);

    /// <summary>Deletes a user (administrators only); refused while the user owns repositories or authenticates through LDAP.</summary>
    Task DeleteUserAsync(string name, CancellationToken cancellationToken);

    Task<JsonArray> ListOrganizationsAsync(CancellationToken cancellationToken);

    Task<JsonNode> GetOrganizationAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the organization; remotely the caller becomes its admin, locally <paramref name="admin"/> does (null: nobody yet).</summary>
    Task<JsonNode> CreateOrganizationAsync(string name, string? email, string? comment, string? admin, CancellationToken cancellationToken);

    Task DeleteOrganizationAsync(string name, CancellationToken cancellationToken);

    Task<JsonArray> ListMembersAsync(string organization, CancellationToken cancellationToken);

    Task<JsonNode> AddMemberAsync(string organization, string user, OrganizationRole role, CancellationToken cancellationToken);

    Task RemoveMemberAsync(string organization, string user, CancellationToken cancellationToken);

    Task<JsonArray> ListTeamsAsync(string organization, CancellationToken cancellationToken);

    Task<JsonNode> GetTeamAsync(string organization, string team, CancellationToken cancellationToken);

    Task<JsonNode> CreateTeamAsync(string organization, string team, string? comment, CancellationToken cancellationToken);

    Task DeleteTeamAsync(string organization, string team, CancellationToken cancellationToken);

    Task<JsonNode> AddTeamMemberAsync(string organization, string team, string user, TeamRole role, CancellationToken cancellationToken);

    Task RemoveTeamMemberAsync(string organization, string team, string user, CancellationToken cancellationToken);

    /// <summary>Grants the team <paramref name="permit"/> on the organization's repository <paramref name="repository"/> (the name inside it).</summary>
    Task<JsonNode> GrantAsync(string organization, string team, string repository, TeamPermit permit, CancellationToken cancellationToken);

    Task RevokeAsync(string organization, string team, string repository, CancellationToken cancellationToken);

    /// <summary>The namespace's repositories (those the caller may pull).</summary>
    Task<JsonArray> ListRepositoriesAsync(string ns, CancellationToken cancellationToken);

    Task<JsonNode> GetRepositoryAsync(string ns, string name, CancellationToken cancellationToken);

    Task<JsonNode> CreateRepositoryAsync(string ns, string name, bool isPublic, string? comment, CancellationToken cancellationToken);

    Task<JsonNode> SetVisibilityAsync(string ns, string name, bool isPublic, CancellationToken cancellationToken);

    /// <summary>Deletes the repository with every protocol's data (blobs become garbage for collection).</summary>
    Task DeleteRepositoryAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Every tag of the repository, in order.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken);

    /// <summary>Deletes the tag (the manifest stays).</summary>
    Task DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken);
}

/// <summary>A refused admin operation: exit code 1 with <see cref="Exception.Message"/> on standard error.</summary>
internal sealed class AdminException(string message) : Exception(message);
