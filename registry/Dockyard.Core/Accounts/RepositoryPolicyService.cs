using Dockyard.Core.Access;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Accounts;

/// <summary>
/// Repositories as UAM manages them: created public or private in a user's or organization's namespace by its owner,
/// made public or private, deleted with their manifests and tags (their blobs become garbage).
/// </summary>
public sealed class RepositoryPolicyService(IAccountStore accounts, IMetadataStore metadata, AccountGuard guard, AccessPolicy access, TimeProvider time)
{
    public async Task<RepositoryPolicy> CreateAsync(Principal actor, string? name, bool? isPublic, string? comment, string? organization, string? user,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(organization) == string.IsNullOrEmpty(user))
        {
            throw AccountNames.Invalid("orgname/username", null, "exactly one of orgname and username must be set");
        }
        var ns = !string.IsNullOrEmpty(organization)
            ? (await guard.RequireOrganizationAsync(organization, cancellationToken)).Name
            : (await guard.RequireUserAsync(user!, cancellationToken)).Name;
        var repository = FullName(ns, AccountNames.Require(name, "name"));
        var policy = new RepositoryPolicy(ns, repository.Value[(ns.Length + 1)..], isPublic ?? throw AccountNames.Invalid("ispublic", null, "is required (true or false)"),
            comment, time.GetUtcNow());
        await guard.RequireNamespaceOwnerAsync(actor, ns, cancellationToken);
        if (!await accounts.Repositories.TryCreateAsync(policy, cancellationToken))
        {
            throw AccountErrors.Conflict($"repository '{policy.FullName}' already exists", new { field = "name" });
        }
        await metadata.Repositories.EnsureAsync(repository, cancellationToken);
        return policy;
    }

    public async Task<RepositoryPolicy> UpdateAsync(Principal actor, string ns, string name, bool? isPublic, string? comment, CancellationToken cancellationToken)
    {
        var policy = await RequireAsync(ns, name, cancellationToken);
        await guard.RequireNamespaceOwnerAsync(actor, ns, cancellationToken);
        var updated = policy with { IsPublic = isPublic ?? policy.IsPublic, Comment = comment ?? policy.Comment };
        await accounts.Repositories.UpdateAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>Deletes the policy, every team grant on it and the repository's manifests, tags, links and uploads.</summary>
    /// <remarks>A repository pushed while the registry ran in open mode has no policy; its owner may still delete it.</remarks>
    public async Task DeleteAsync(Principal actor, string ns, string name, CancellationToken cancellationToken)
    {
        var repository = FullName(ns, name);
        if (await accounts.Repositories.GetAsync(ns, name, cancellationToken) is null
            && !await metadata.Repositories.ExistsAsync(repository, cancellationToken))
        {
            throw AccountErrors.NotFound("repository", repository.Value);
        }
        await guard.RequireNamespaceOwnerAsync(actor, ns, cancellationToken);
        foreach (var grant in await accounts.Teams.ListGrantsAsync(ns, name, cancellationToken))
        {
            await accounts.Teams.RemoveRepositoryAsync(ns, grant.Team, name, cancellationToken);
        }
        await metadata.Repositories.DeleteAsync(repository, cancellationToken);
        await accounts.Repositories.DeleteAsync(ns, name, cancellationToken);
    }

    /// <summary>The policy with the team grants on it, when the actor may pull the repository.</summary>
    public async Task<(RepositoryPolicy Policy, IReadOnlyList<TeamRepository> Grants)> GetAsync(Principal actor, string ns, string name, CancellationToken cancellationToken)
    {
        var policy = await RequireAsync(ns, name, cancellationToken);
        if (!(await access.GetActionsAsync(actor, FullName(ns, name), cancellationToken)).HasFlag(RepositoryActions.Pull))
        {
            throw AccountErrors.NotFound("repository", policy.FullName);
        }
        return (policy, await accounts.Teams.ListGrantsAsync(ns, name, cancellationToken));
    }

    /// <summary>The namespace's repositories the actor may pull.</summary>
    public async Task<IReadOnlyList<RepositoryPolicy>> ListAsync(Principal actor, string ns, CancellationToken cancellationToken)
    {
        var visible = new List<RepositoryPolicy>();
        foreach (var policy in await accounts.Repositories.ListAsync(ns, cancellationToken))
        {
            if ((await access.GetActionsAsync(actor, FullName(ns, policy.Name), cancellationToken)).HasFlag(RepositoryActions.Pull))
            {
                visible.Add(policy);
            }
        }
        return visible;
    }

    private async Task<RepositoryPolicy> RequireAsync(string ns, string name, CancellationToken cancellationToken) =>
        await accounts.Repositories.GetAsync(ns, name, cancellationToken) ?? throw AccountErrors.NotFound("repository", $"{ns}/{name}");

    private static RepositoryName FullName(string ns, string name) =>
        RepositoryName.TryParse(ns + "/" + name, out var repository)
            ? repository
            : throw AccountNames.Invalid("name", name, "must be a repository name: lower-case path components joined by '/'");
}
