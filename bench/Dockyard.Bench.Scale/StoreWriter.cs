namespace Dockyard.Bench.Scale;

/// <summary>
/// Writes the plan the way pushes do: blobs staged and published through <see cref="IBlobStore"/> and linked by the
/// <see cref="BlobLinker"/> (as a blob upload does), manifests put through Core's <see cref="ManifestService"/>.
/// One write transaction per row, so it is the reference <see cref="DirectWriter"/> is checked against, not the way
/// to fill a large registry.
/// </summary>
internal sealed class StoreWriter
{
    private readonly IBlobStore blobs;
    private readonly BlobLinker linker;
    private readonly ManifestService manifests;

    public StoreWriter(IBlobStore blobs, IMetadataStore metadata)
    {
        this.blobs = blobs;
        linker = new BlobLinker(blobs, metadata, new CollectionOptions(), TimeProvider.System);
        manifests = new ManifestService(blobs, metadata, new ManifestContentCache(), linker, new OpenCommitGuard(), TimeProvider.System);
    }

    public async Task WriteAsync(ScalePlan plan, CancellationToken cancellationToken)
    {
        for (var index = 0; index < plan.Repositories; index++)
        {
            var repository = plan.Repository(index);
            foreach (var blob in repository.StaleLinks.Prepend(repository.Layer).Prepend(repository.Config))
            {
                await StoreAsync(blob, cancellationToken);
                await linker.LinkAsync(repository.Name, blob.Digest, blob.Bytes.Length, cancellationToken);
            }
            foreach (var image in repository.Manifests)
            {
                await manifests.PutAsync(repository.Name, new ManifestReference(image.Tag is null ? image.Manifest.Digest : null, image.Tag),
                    image.Manifest.Bytes, ScalePlan.ManifestMediaType, cancellationToken);
            }
        }
        for (var index = 0; index < plan.Orphans; index++)
        {
            await StoreAsync(ScalePlan.Orphan(index), cancellationToken);
        }
    }

    // As an upload: one staged part, published under its digest (content already there is not written again).
    private async Task StoreAsync(Blob blob, CancellationToken cancellationToken)
    {
        if (await blobs.StatAsync(blob.Digest, cancellationToken) is not null)
        {
            return;
        }
        var id = Guid.NewGuid().ToString("N");
        await blobs.CreateUploadAsync(id, cancellationToken);
        using var source = new MemoryStream(blob.Bytes, writable: false);
        var part = new UploadPart("part", await blobs.WriteUploadPartAsync(id, "part", source, cancellationToken));
        await blobs.PublishUploadAsync(id, [part], blob.Digest, cancellationToken);
    }
}
