using Dockyard.Core.Appc;
using Dockyard.Core.Names;
using Dockyard.Core.V1;

namespace Dockyard.Web.Browsing;

/// <summary>What a repository holds besides V2 manifests: Docker V1 tags and appc ACIs, the first page of each.</summary>
public sealed record OlderFormats(IReadOnlyList<V1Tag> V1Tags, bool MoreV1Tags, IReadOnlyList<AciImage> Acis, bool MoreAcis);

/// <summary>
/// Reads a repository's V1 tags and published ACIs through Core's stores, for a repository page whose caller the page
/// has already found may read the repository (the same rule the V1 and appc doors apply to pulls).
/// </summary>
public sealed class OlderFormatListing(IV1ImageStore v1, IAciStore acis)
{
    public const int PageSize = 50;

    public async Task<OlderFormats> ListAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var tags = await v1.ListTagsAsync(repository, null, PageSize + 1, cancellationToken);
        var images = await acis.ListAsync(repository, null, PageSize + 1, cancellationToken);
        return new OlderFormats([.. tags.Take(PageSize)], tags.Count > PageSize, [.. images.Take(PageSize)], images.Count > PageSize);
    }
}
