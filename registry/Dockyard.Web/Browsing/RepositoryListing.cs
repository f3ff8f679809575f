using Dockyard.Core.Access;
using Dockyard.Core.Accounts;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Web.Access;

namespace Dockyard.Web.Browsing;

/// <summary>
/// A repository as the namespace page lists it. <see cref="IsPublic"/> is null for data pushed in standalone mode that
/// no account has adopted (it has no UAM record); <see cref="Usage"/> is its size and last push.
/// </summary>
public sealed record RepositoryRow(string Name, bool? IsPublic, RepositoryUsageFigures Usage);

/// <summary>One page of a namespace's repositories; <see cref="Next"/> is the cursor of the following page, null at the end.</summary>
public sealed record RepositoryPage(IReadOnlyList<RepositoryRow> Repositories, string? Next);

/// <summary>
/// The repositories of one namespace that the caller may read: the one named like the namespace (if any) and those
/// under <c>namespace/</c>, read from the repository index as one contiguous range.
/// </summary>
public sealed class RepositoryListing(IMetadataStore metadata, IAccountStore accounts, BrowsingAccess access, RepositoryUsage usage)
{
    public async Task<RepositoryPage> ListAsync(Principal principal, string ns, string? after, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<RepositoryRow>();
        var prefix = ns + "/";
        if (after is null && RepositoryName.TryParse(ns, out var single) && await metadata.Repositories.ExistsAsync(single, cancellationToken)
            && await access.MayReadAsync(principal, single, cancellationToken))
        {
            rows.Add(new RepositoryRow(ns, null, await usage.ReadAsync(single, cancellationToken)));
        }
        // Every name starting "ns." sorts before "ns.\uffff", and nothing between it and "ns/" can exist.
        var cursor = after is not null && after.StartsWith(prefix, StringComparison.Ordinal) ? after : ns + ".\uffff";
        while (rows.Count < limit)
        {
            var batch = await metadata.Repositories.ListAsync(cursor, limit, cancellationToken);
            foreach (var name in batch)
            {
                if (!name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return new RepositoryPage(rows, null);
                }
                cursor = name;
                if (RepositoryName.TryParse(name, out var repository) && await access.MayReadAsync(principal, repository, cancellationToken))
                {
                    var policy = await accounts.Repositories.GetAsync(ns, name[prefix.Length..], cancellationToken);
                    rows.Add(new RepositoryRow(name, policy?.IsPublic, await usage.ReadAsync(repository, cancellationToken)));
                    if (rows.Count == limit)
                    {
                        return new RepositoryPage(rows, cursor);
                    }
                }
            }
            if (batch.Count < limit)
            {
                break;
            }
        }
        return new RepositoryPage(rows, null);
    }
}
