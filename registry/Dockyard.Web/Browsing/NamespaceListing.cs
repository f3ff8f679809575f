using Dockyard.Core.Access;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Web.Access;

namespace Dockyard.Web.Browsing;

/// <summary>One page of namespaces; <see cref="Next"/> is the cursor of the following page, null at the end.</summary>
public sealed record NamespacePage(IReadOnlyList<string> Namespaces, string? Next);

/// <summary>
/// The namespaces (first path components) holding a repository the caller may read, from the repository index in
/// name order. Once a namespace shows one readable repository the scan jumps past the rest of it, so a page costs
/// about one index read per namespace rather than per repository. A page examines at most <see cref="ScanBudget"/>
/// names, so that a caller who may read little cannot make one request walk the whole registry.
/// </summary>
public sealed class NamespaceListing(IMetadataStore metadata, BrowsingAccess access)
{
    public const int ScanBudget = 5_000;

    /// <param name="after">The cursor from the previous page; null for the first.</param>
    public async Task<NamespacePage> ListAsync(Principal principal, string? after, int limit, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        var cursor = after;
        var examined = 0;
        while (found.Count < limit && examined < ScanBudget)
        {
            var batch = await metadata.Repositories.ListAsync(cursor, 100, cancellationToken);
            if (batch.Count == 0)
            {
                return new NamespacePage(found, null);
            }
            string? jump = null;
            foreach (var name in batch)
            {
                examined++;
                cursor = name;
                var ns = NamespaceOf(name);
                if (found.Contains(ns) || !RepositoryName.TryParse(name, out var repository)
                    || !await access.MayReadAsync(principal, repository, cancellationToken))
                {
                    continue;
                }
                found.Add(ns);
                // '/' sorts after '-' and '.', so "ns-x/..." may still follow "ns" itself; jump only past "ns/...".
                jump = name.Contains('/') ? ns + "/\uffff" : null;
                break;
            }
            if (jump is not null)
            {
                cursor = jump;
            }
        }
        return new NamespacePage(found, cursor);
    }

    public static string NamespaceOf(string repository)
    {
        var slash = repository.IndexOf('/');
        return slash < 0 ? repository : repository[..slash];
    }
}
