using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;

namespace Dockyard.Core.V1;

/// <summary>
/// V1 repositories: the image list a push announces (<c>PUT /v1/repositories/&lt;ns&gt;/&lt;repo&gt;/</c>) and a pull
/// reads, and V1 tags. Setting a tag also writes the converted schema2 manifest, so V2 clients see the image.
/// </summary>
public sealed class V1RepositoryService(IV1ImageStore store, V1ImageService images, V1ToSchema2 conversion)
{
    private const int Batch = 500;

    /// <summary>Lists the announced image ids in the repository; ids must be well-formed.</summary>
    public async Task AddImagesAsync(RepositoryName repository, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var valid = ids.Select(id => V1Names.RequireImageId(id, "id")).Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in valid)
        {
            await store.AddRepositoryImageAsync(repository, id, cancellationToken);
        }
    }

    /// <summary>The repository's images with the checksum of each complete one (null while incomplete or unknown).</summary>
    public async Task<IReadOnlyList<(string Id, string? Checksum)>> ListImagesAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var result = new List<(string, string?)>();
        await foreach (var id in AllAsync((after, ct) => store.ListRepositoryImagesAsync(repository, after, Batch, ct), x => x, cancellationToken))
        {
            var image = await store.GetImageAsync(repository, id, cancellationToken);
            result.Add((id, image is { Complete: true } ? image.Layer?.PayloadChecksum ?? image.Checksum : null));
        }
        return result;
    }

    /// <summary>All V1 tags of the repository; 404 when it has neither tags nor images.</summary>
    public async Task<IReadOnlyList<V1Tag>> ListTagsAsync(RepositoryName repository, CancellationToken cancellationToken)
    {
        var tags = new List<V1Tag>();
        await foreach (var tag in AllAsync((after, ct) => store.ListTagsAsync(repository, after, Batch, ct), t => t.Name, cancellationToken))
        {
            tags.Add(tag);
        }
        if (tags.Count == 0 && (await store.ListRepositoryImagesAsync(repository, null, 1, cancellationToken)).Count == 0)
        {
            throw RepositoryNotFound(repository);
        }
        return tags;
    }

    /// <summary>The image id of the tag; 404 when there is no such tag.</summary>
    public async Task<string> GetTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken) =>
        await store.GetTagAsync(repository, tag, cancellationToken)
            ?? throw new RegistryException(RegistryErrorCode.NotFound, "Tag not found", new { repository = repository.Value, tag });

    /// <summary>
    /// Points the tag at a complete image of the repository (listing it and its ancestors there) and writes the converted schema2
    /// manifest under the same tag, which it returns. 404 when the repository holds no such image; 400 for a bad tag or an
    /// image still being pushed.
    /// </summary>
    public async Task<ParsedManifest> SetTagAsync(RepositoryName repository, string tag, string imageId, CancellationToken cancellationToken)
    {
        if (!Tag.IsValid(tag))
        {
            throw new RegistryException(RegistryErrorCode.InvalidField, "invalid tag", new { field = "tag", tag });
        }
        var ancestry = await images.GetAncestryAsync(repository, imageId, cancellationToken);
        foreach (var image in ancestry)
        {
            await store.AddRepositoryImageAsync(repository, image.Id, cancellationToken);
        }
        var manifest = await conversion.TagAsync(repository, tag, ancestry, cancellationToken);
        await store.SetTagAsync(repository, tag, imageId, cancellationToken);
        return manifest;
    }

    /// <summary>Removes the V1 tag (the V2 tag of the converted manifest stays until deleted through V2); 404 when absent.</summary>
    public async Task DeleteTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        if (!await store.DeleteTagAsync(repository, tag, cancellationToken))
        {
            throw new RegistryException(RegistryErrorCode.NotFound, "Tag not found", new { repository = repository.Value, tag });
        }
    }

    /// <summary>Every repository listing the image, in name order.</summary>
    public IAsyncEnumerable<string> RepositoriesOfAsync(string imageId, CancellationToken cancellationToken) =>
        AllAsync((after, ct) => store.ListImageRepositoriesAsync(imageId, after, Batch, ct), x => x, cancellationToken);

    private static RegistryException RepositoryNotFound(RepositoryName repository) =>
        new(RegistryErrorCode.NotFound, "Repository not found", new { repository = repository.Value });

    private static async IAsyncEnumerable<T> AllAsync<T>(Func<string?, CancellationToken, Task<IReadOnlyList<T>>> page, Func<T, string> key,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var items = await page(after, cancellationToken);
            foreach (var item in items)
            {
                yield return item;
            }
            if (items.Count < Batch)
            {
                yield break;
            }
            after = key(items[^1]);
        }
    }
}
