using Dockyard.Core.Names;

namespace Dockyard.Core.V1;

/// <summary>
/// The Docker Registry V1 metadata: images by id, the image list of each repository (and its reverse, the
/// repositories listing an image), and V1 tags per repository. Keyed lookups, ordered listings and conditional
/// writes only, so SQLite, Azure Tables, MySQL and Redis can implement it. Layer bytes live in the blob store.
/// </summary>
public interface IV1ImageStore
{
    /// <summary>The image; null when no image has that id.</summary>
    Task<V1Image?> GetImageAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the image, or replaces it while it is incomplete (a retried push); false, changing nothing, when a
    /// complete image with that id exists.
    /// </summary>
    Task<bool> TryPutIncompleteAsync(V1Image image, CancellationToken cancellationToken);

    /// <summary>Replaces an incomplete image's record (layer, checksum, completion); false when it is absent or already complete.</summary>
    Task<bool> TryUpdateIncompleteAsync(V1Image image, CancellationToken cancellationToken);

    /// <summary>Lists the image in the repository (and the repository for the image); idempotent.</summary>
    Task AddRepositoryImageAsync(RepositoryName repository, string imageId, CancellationToken cancellationToken);

    Task<bool> HasRepositoryImageAsync(RepositoryName repository, string imageId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> image ids of the repository in ordinal order, after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<string>> ListRepositoryImagesAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> repositories listing the image, in ordinal order, after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<string>> ListImageRepositoriesAsync(string imageId, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>The image id the tag points at; null when the repository has no such V1 tag.</summary>
    Task<string?> GetTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken);

    /// <summary>Points the tag at the image, replacing any previous target.</summary>
    Task SetTagAsync(RepositoryName repository, string tag, string imageId, CancellationToken cancellationToken);

    /// <summary>Removes the tag; false when it did not exist.</summary>
    Task<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> tags of the repository in ordinal order, after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<V1Tag>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken);
}
