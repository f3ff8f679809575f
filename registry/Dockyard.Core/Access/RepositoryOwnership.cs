using Dockyard.Core.Accounts;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Access;

/// <summary>
/// Who owns a repository, and whether a namespace is free to be claimed by a new account. A repository belongs to
/// the account recorded when it was created (the user or organization holding its namespace then, or the admin who
/// pushed it into a namespace no account held); records from before owners were kept belong to the namespace's
/// account only if that account is at least as old as the record. A namespace that already holds data cannot be
/// taken by signing up or creating an organization: an administrator adopts such data (<see cref="RepositoryAdoption"/>).
/// </summary>
public sealed class RepositoryOwnership(IAccountStore accounts, IMetadataStore metadata)
{
    /// <summary>The owning account's name; null when no account owns the repository (only admins reach it).</summary>
    public async Task<string?> OwnerOfAsync(RepositoryPolicy policy, CancellationToken cancellationToken)
    {
        if (policy.Owner is not null)
        {
            return policy.Owner;
        }
        var created = await AccountCreatedAsync(policy.Namespace, cancellationToken);
        return created is { } at && at <= policy.CreatedAt ? policy.Namespace : null;
    }

    /// <summary>
    /// The owner to record for a repository <paramref name="creator"/> creates now: the namespace's account when one
    /// holds the name, else the creator (an admin pushing into a namespace no account holds).
    /// </summary>
    public async Task<string?> OwnerForNewAsync(string @namespace, string? creator, CancellationToken cancellationToken) =>
        await AccountCreatedAsync(@namespace, cancellationToken) is not null ? @namespace : creator;

    /// <summary>True when neither a UAM record nor any stored data exists for the repository (it can be created by pushing).</summary>
    public async Task<bool> IsUnclaimedAsync(RepositoryName repository, CancellationToken cancellationToken) =>
        !await metadata.Repositories.ExistsAsync(repository, cancellationToken);

    /// <summary>True when the namespace holds repositories (recorded in UAM, or only as data pushed in open mode).</summary>
    public async Task<bool> NamespaceHoldsDataAsync(string @namespace, CancellationToken cancellationToken)
    {
        if ((await accounts.Repositories.ListAsync(@namespace, cancellationToken)).Count > 0)
        {
            return true;
        }
        var prefix = @namespace + "/";
        var next = await metadata.Repositories.ListAsync(prefix, 1, cancellationToken);
        return next.Count > 0 && next[0].StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// A repository outside the account's own namespace recorded as owned by it (an admin's push into a namespace no
    /// account held); null when there is none. Walks the catalog one namespace at a time, for an administrator's rare
    /// deletion: repositories recorded only in UAM and never pushed are not in the catalog and not seen.
    /// </summary>
    public async Task<string?> OwnedElsewhereAsync(string account, CancellationToken cancellationToken)
    {
        string? after = null;
        string? seen = null;
        while (await metadata.Repositories.ListAsync(after, 1000, cancellationToken) is { Count: > 0 } page)
        {
            foreach (var repository in page)
            {
                var ns = repository.Split('/')[0];
                if (ns == seen || ns == account)
                {
                    continue;
                }
                seen = ns;
                if ((await accounts.Repositories.ListAsync(ns, cancellationToken)).FirstOrDefault(p => p.Owner == account) is { } owned)
                {
                    return owned.FullName;
                }
            }
            after = page[^1];
        }
        return null;
    }

    /// <summary>When the user or organization named <paramref name="name"/> was created; null when no account has that name.</summary>
    public async Task<DateTimeOffset?> AccountCreatedAsync(string name, CancellationToken cancellationToken) =>
        (await accounts.Users.GetAsync(name, cancellationToken))?.CreatedAt ?? (await accounts.Organizations.GetAsync(name, cancellationToken))?.CreatedAt;
}
