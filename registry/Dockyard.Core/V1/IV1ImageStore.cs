using Dockyard.Core.Names;

namespace Dockyard.Core.V1;

/// <summary>
/// The Docker Registry V1 metadata. Images are kept per repository: an image id names content only inside the
/// repository it was pushed to, so one user's push can never adopt, expose or shadow another repository's image of
/// the same id. Beside the images: the image list each push announces (and its reverse, the repositories listing an
/// id, so <c>/v1/images/&lt;id&gt;</c> routes without a token can find a repository to check access on), and V1 tags.
/// Keyed lookups, ordered listings and conditional writes only, so SQLite, Azure Tables, MySQL and Redis can
/// implement it. Layer bytes live in the blob store.
/// </summary>
public interface IV1ImageStore
{
    /// <summary>The image as pushed to <paramref name="repository"/>; null when that repository holds no image of that id.</summary>
    Task<V1Image?> GetImageAsync(RepositoryName repository, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the image in the repository, or replaces it while it is incomplete (a retried push); false, changing
    /// nothing, when the repository holds a complete image with that id.
    /// </summary>
    Task<bool> TryPutIncompleteAsync(RepositoryName repository, V1Image image, CancellationToken cancellationToken);

    /// <summary>Replaces an incomplete image's record (layer, checksum, completion); false when it is absent from the repository or already complete.</summary>
    Task<bool> TryUpdateIncompleteAsync(RepositoryName repository, V1Image image, CancellationToken cancellationToken);

    /// <summary>Lists the image id in the repository (and the repository for the id); idempotent. Listing grants nothing.</summary>
    Task AddRepositoryImageAsync(RepositoryName repository, string imageId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> image ids listed in the repository in ordinal order, after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<string>> ListRepositoryImagesAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> repositories listing the id, in ordinal order, after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<string>> ListImageRepositoriesAsync(string imageId, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>The image id the tag points at; null when the repository has no such V1 tag.</summary>
    Task<string?> GetTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken);

    /// <summary>Points the tag at the image, replacing any previous target.</summary>
    Task SetTagAsync(RepositoryName repository, string tag, string imageId, CancellationToken cancellationToken);

    /// <summary>Removes the tag; false when it did not exist.</summary>
    Task<bool> DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> tags of the repository in ordinal order, after <paramref name="after"/> (null: from the start).</summary>
    Task<IReadOnlyList<V1Tag>> ListTagsAsync(RepositoryName repository, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Removes every image, image listing and tag of the repository (layer blobs stay for garbage collection); no effect when it has none.</summary>
    Task DeleteRepositoryAsync(RepositoryName repository, CancellationToken cancellationToken);
}
