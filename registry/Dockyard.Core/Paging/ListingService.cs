using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Paging;

/// <summary>Paginated tag lists and the repository catalog, both in ordinal order and never including <c>last</c> itself.</summary>
public sealed class ListingService(IMetadataStore metadata)
{
    /// <exception cref="RegistryException">NAME_UNKNOWN when the repository does not exist.</exception>
    public async Task<Page> ListTagsAsync(RepositoryName repository, PageRequest request, CancellationToken cancellationToken)
    {
        if (!await metadata.Repositories.ExistsAsync(repository, cancellationToken))
        {
            throw new RegistryException(RegistryErrorCode.NameUnknown, "repository name not known to registry", new { name = repository.Value });
        }
        return await PageAsync(request, (after, limit) => metadata.Tags.ListAsync(repository, after, limit, cancellationToken));
    }

    public Task<Page> ListRepositoriesAsync(PageRequest request, CancellationToken cancellationToken) =>
        PageAsync(request, (after, limit) => metadata.Repositories.ListAsync(after, limit, cancellationToken));

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
