using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Metadata.PullCache;
using Dockyard.Core.Names;

namespace Dockyard.Core.Paging;

/// <summary>
/// Paginated tag lists and the repository catalog, both in ordinal order and never including <c>last</c> itself.
/// With repository stamps and a memory of pages, a tag page already listed under the repository's current stamp is
/// served from memory (<see cref="ListedTagPages"/>); without them every listing reads the store.
/// </summary>
public sealed class ListingService(IMetadataStore metadata, IRepositoryStamps? stamps = null, ListedTagPages? pages = null)
{
    /// <exception cref="RegistryException">NAME_UNKNOWN when the repository does not exist.</exception>
    public async Task<Page> ListTagsAsync(RepositoryName repository, PageRequest request, CancellationToken cancellationToken)
    {
        // The stamp is read before the store: a page is kept under a stamp only when the store was read after the stamp
        // was, so a write ending later (a new stamp) never leaves an older page looking current.
        var stamp = pages is null || stamps is null ? null : await stamps.CurrentAsync(repository, cancellationToken);
        if (stamp is not null && pages!.Get(repository, request, stamp) is { } remembered)
        {
            return remembered;
        }
        var page = await PageAsync(request, (after, limit) => metadata.Tags.ListAsync(repository, after, limit, cancellationToken));
        // A tag listed proves the repository exists, so the usual page costs one query; only an empty one asks.
        if (page.Items.Count == 0 && !await metadata.Repositories.ExistsAsync(repository, cancellationToken))
        {
            throw new RegistryException(RegistryErrorCode.NameUnknown, "repository name not known to registry", new { name = repository.Value });
        }
        if (stamp is not null)
        {
            pages!.Add(repository, request, stamp, page);
        }
        return page;
    }

    /// <param name="visible">Null to list every repository; otherwise only names it accepts are listed (the caller may read them).</param>
    public Task<Page> ListRepositoriesAsync(PageRequest request, Func<string, Task<bool>>? visible, CancellationToken cancellationToken) =>
        PageAsync(request, visible is null
            ? (after, limit) => metadata.Repositories.ListAsync(after, limit, cancellationToken)
            : (after, limit) => ListVisibleAsync(after, limit, visible, cancellationToken));

    // Reads the index in batches and keeps the visible names until the page is full or the index ends.
    private async Task<IReadOnlyList<string>> ListVisibleAsync(string? after, int limit, Func<string, Task<bool>> visible, CancellationToken cancellationToken)
    {
        var result = new List<string>(Math.Min(limit, 1024));
        while (result.Count < limit)
        {
            var batch = await metadata.Repositories.ListAsync(after, Math.Max(limit, 100), cancellationToken);
            foreach (var name in batch)
            {
                if (result.Count < limit && await visible(name))
                {
                    result.Add(name);
                }
            }
            if (batch.Count == 0 || result.Count >= limit)
            {
                break;
            }
            after = batch[^1];
        }
        return result;
    }

    private static async Task<Page> PageAsync(PageRequest request, Func<string?, int, Task<IReadOnlyList<string>>> list)
    {
        var limit = request.EffectiveLimit;
        if (limit == 0)
        {
            return new Page([], false);
        }
        // One extra row tells whether a next page exists without a second query.
        var items = await list(request.After, limit + 1);
        return items.Count > limit ? new Page(items.Take(limit).ToList(), true) : new Page(items, false);
    }
}
