using Dockyard.Core.Appc;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Signatures;
using Dockyard.Core.V1;

namespace Dockyard.Core.Collection;

/// <summary>
/// The blobs a repository's other protocols refer to: signatures and converted ACIs of the manifests it keeps, V1
/// layers, pushed ACIs and their signatures. A store the metadata driver lacks (it answers 501) holds nothing.
/// </summary>
public sealed class RepositoryReferences(IV1ImageStore v1, IAciStore acis, IImageSignatureStore signatures)
{
    private const int Page = 500;

    /// <summary>Adds the blobs that the signatures and the ACI conversion of <paramref name="manifest"/> are stored in.</summary>
    public async Task AddManifestExtrasAsync(RepositoryName repository, Digest manifest, ISet<Digest> referenced, CancellationToken cancellationToken)
    {
        foreach (var signature in await OrEmpty(() => signatures.ListAsync(repository, manifest, ImageSignatureService.MaxPerManifest, cancellationToken)))
        {
            referenced.Add(signature.Content);
        }
        if (await OrNull(() => acis.GetConversionAsync(repository, manifest, cancellationToken)) is { } conversion)
        {
            referenced.Add(conversion.Aci);
        }
    }

    /// <summary>Adds the layers of the repository's V1 images and the files and signatures of its ACIs.</summary>
    public async Task AddRepositoryExtrasAsync(RepositoryName repository, ISet<Digest> referenced, CancellationToken cancellationToken)
    {
        string? afterImage = null;
        IReadOnlyList<string> ids;
        do
        {
            ids = await OrEmpty(() => v1.ListRepositoryImagesAsync(repository, afterImage, Page, cancellationToken));
            foreach (var id in ids)
            {
                if (await v1.GetImageAsync(repository, id, cancellationToken) is { Layer: { } layer })
                {
                    referenced.Add(layer.Digest);
                }
            }
            afterImage = ids.Count > 0 ? ids[^1] : null;
        }
        while (ids.Count == Page);

        (string, string, string)? afterAci = null;
        IReadOnlyList<AciImage> images;
        do
        {
            images = await OrEmpty(() => acis.ListAsync(repository, afterAci, Page, cancellationToken));
            foreach (var image in images)
            {
                referenced.Add(image.Aci);
                referenced.Add(image.Signature);
            }
            afterAci = images.Count > 0 ? (images[^1].Version, images[^1].Os, images[^1].Arch) : null;
        }
        while (images.Count == Page);
    }

    private static async Task<IReadOnlyList<T>> OrEmpty<T>(Func<Task<IReadOnlyList<T>>> list)
    {
        try
        {
            return await list();
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.NotImplemented)
        {
            return [];
        }
    }

    private static async Task<T?> OrNull<T>(Func<Task<T?>> get) where T : class
    {
        try
        {
            return await get();
        }
        catch (RegistryException e) when (e.Code == RegistryErrorCode.NotImplemented)
        {
            return null;
        }
    }
}
