using Dockyard.Core.Access;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Web.Access;

namespace Dockyard.Web.Browsing;

/// <summary>
/// One page of matches; <see cref="Next"/> is the cursor to continue from (the last name examined), null when the whole
/// index has been searched.
/// </summary>
public sealed record SearchPage(IReadOnlyList<string> Repositories, string? Next);

/// <summary>
/// Repositories whose name contains the query and that the caller may read. The ports have no substring index (they
/// are keyed lookups and ordered listings), so this reads the repository index in name order, testing each name, and
/// asks the access policy only about names that match. A page examines at most <see cref="ScanBudget"/> names and then
/// offers to continue, so a rare query on a large registry costs bounded work per request.
/// </summary>
public sealed class RepositorySearch(IMetadataStore metadata, BrowsingAccess access)
{
    public const int ScanBudget = 20_000;

    /// <summary>The longest query accepted; a repository name is at most 255 characters.</summary>
    public const int MaxQueryLength = 255;

    /// <param name="after">The cursor from the previous page; null for the first.</param>
    public async Task<SearchPage> SearchAsync(Principal principal, string query, string? after, int limit, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var cursor = after;
        var examined = 0;
        while (examined < ScanBudget)
        {
            var batch = await metadata.Repositories.ListAsync(cursor, 500, cancellationToken);
            foreach (var name in batch)
            {
                examined++;
                cursor = name;
                if (name.Contains(query, StringComparison.Ordinal) && RepositoryName.TryParse(name, out var repository)
                    && await access.MayReadAsync(principal, repository, cancellationToken))
                {
                    found.Add(name);
                    if (found.Count == limit)
                    {
                        return new SearchPage(found, cursor);
                    }
                }
            }
            if (batch.Count < 500)
            {
                return new SearchPage(found, null);
            }
        }
        return new SearchPage(found, cursor);
    }
}
