using Dockyard.Core.Access;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Accounts;

/// <summary>
/// Repositories as UAM manages them: created public or private in a user's or organization's namespace by its owner,
/// made public or private and deleted (with every protocol's data, <see cref="RepositoryEraser"/>) by whoever may
/// delete in it. A caller who may not even pull a repository gets the same 404 as for one that does not exist.
/// </summary>
public sealed class RepositoryPolicyService(IAccountStore accounts, IMetadataStore metadata, AccountGuard guard, AccessPolicy access,
    RepositoryOwnership ownership, RepositoryEraser eraser, TimeProvider time)
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
            comment, time.GetUtcNow(), ns);
        await guard.RequireNamespaceOwnerAsync(actor, ns, cancellationToken);
        if (!await ownership.IsUnclaimedAsync(repository, cancellationToken) || !await accounts.Repositories.TryCreateAsync(policy, cancellationToken))
        {
            throw AccountErrors.Conflict($"repository '{policy.FullName}' already exists", new { field = "name" });
        }
        await metadata.Repositories.EnsureAsync(repository, cancellationToken);
        return policy;
    }

    public async Task<RepositoryPolicy> UpdateAsync(Principal actor, string ns, string name, bool? isPublic, string? comment, CancellationToken cancellationToken)
    {
        var repository = FullName(ns, name);
        await RequireManagerAsync(actor, repository, cancellationToken);
        var policy = await RequireAsync(ns, name, cancellationToken);
        var updated = policy with { IsPublic = isPublic ?? policy.IsPublic, Comment = comment ?? policy.Comment };
        await accounts.Repositories.UpdateAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>Deletes the repository with every protocol's data; a repository pushed in open mode and not adopted has no owner, so only an admin may.</summary>
    public async Task DeleteAsync(Principal actor, string ns, string name, CancellationToken cancellationToken)
    {
        var repository = FullName(ns, name);
        await RequireManagerAsync(actor, repository, cancellationToken);
        if (await accounts.Repositories.GetAsync(ns, name, cancellationToken) is null
            && !await metadata.Repositories.ExistsAsync(repository, cancellationToken))
        {
            throw AccountErrors.NotFound("repository", repository.Value);
        }
        await eraser.EraseAsync(repository, ns, name, cancellationToken);
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

    // Pull decides visibility: without it the repository is reported missing, exactly as a missing one; with it, only
    // those who may delete (owners, organization admins, registry admins) may change or delete the repository.
    private async Task RequireManagerAsync(Principal actor, RepositoryName repository, CancellationToken cancellationToken)
    {
        var actions = await access.GetActionsAsync(actor, repository, cancellationToken);
        if (!actions.HasFlag(RepositoryActions.Pull))
        {
            throw AccountErrors.NotFound("repository", repository.Value);
        }
        if (!actions.HasFlag(RepositoryActions.Delete))
        {
            throw AccountErrors.Denied($"only the owner of '{repository}' may do this");
        }
    }

    private async Task<RepositoryPolicy> RequireAsync(string ns, string name, CancellationToken cancellationToken) =>
        await accounts.Repositories.GetAsync(ns, name, cancellationToken) ?? throw AccountErrors.NotFound("repository", $"{ns}/{name}");

    private static RepositoryName FullName(string ns, string name) =>
        RepositoryName.TryParse(ns + "/" + name, out var repository)
            ? repository
            : throw AccountNames.Invalid("name", name, "must be a repository name: lower-case path components joined by '/'");
}
