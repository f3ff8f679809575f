namespace Dockyard.Bench.Scale;

/// <summary>
/// Reads a generated folder back through the stores and Core's <see cref="ManifestService"/> (as a pull does) and
/// lists every difference from the plan: a registry the generator filled must serve exactly what was planned.
/// </summary>
internal sealed class ReadBack(IBlobStore blobs, IMetadataStore metadata)
{
    private readonly ManifestService manifests = new(blobs, metadata, new ManifestContentCache(),
        new BlobLinker(blobs, metadata, new CollectionOptions(), TimeProvider.System), new OpenCommitGuard(), TimeProvider.System);

    private readonly List<string> problems = [];

    /// <param name="every">Checks every n-th repository (1: all of them).</param>
    public async Task<IReadOnlyList<string>> CheckAsync(ScalePlan plan, int every, CancellationToken cancellationToken)
    {
        for (var index = 0; index < plan.Repositories; index += every)
        {
            await CheckRepositoryAsync(plan.Repository(index), cancellationToken);
        }
        for (var index = 0; index < plan.Orphans; index += every)
        {
            var orphan = ScalePlan.Orphan(index);
            Expect(await blobs.StatAsync(orphan.Digest, cancellationToken) == orphan.Bytes.Length, $"orphan {orphan.Digest} stored");
            Expect(!await metadata.BlobLinks.IsLinkedAnywhereAsync(orphan.Digest, cancellationToken), $"orphan {orphan.Digest} linked nowhere");
        }
        return problems;
    }

    private async Task CheckRepositoryAsync(PlannedRepository repository, CancellationToken cancellationToken)
    {
        var name = repository.Name;
        Expect(await metadata.Repositories.ExistsAsync(name, cancellationToken), $"{name} exists");
        var expectedTags = repository.Manifests.Select(m => m.Tag).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var tags = await metadata.Tags.ListAsync(name, null, 1000, cancellationToken);
        Expect(tags.SequenceEqual(expectedTags), $"{name} tags {string.Join(',', tags)}");
        foreach (var blob in repository.StaleLinks.Prepend(repository.Layer).Prepend(repository.Config))
        {
            await ExpectLinkedAsync(name, blob, cancellationToken);
        }
        foreach (var image in repository.Manifests)
        {
            await ExpectLinkedAsync(name, image.Manifest, cancellationToken);
            var reference = new ManifestReference(image.Tag is null ? image.Manifest.Digest : null, image.Tag);
            var served = await manifests.GetAsync(name, reference, cancellationToken);
            Expect(served.Bytes.AsSpan().SequenceEqual(image.Manifest.Bytes), $"{name}:{reference} bytes");
            Expect(served.Record.Digest == image.Manifest.Digest && served.Record.MediaType == ScalePlan.ManifestMediaType
                && served.Record.Size == image.Manifest.Bytes.Length && served.Record.AnnotationsJson is not null, $"{name}:{reference} record");
        }
        var listed = await metadata.Manifests.ListAsync(name, null, 1000, cancellationToken);
        Expect(listed.Count == repository.Manifests.Count, $"{name} holds {listed.Count} manifests");
    }

    private async Task ExpectLinkedAsync(RepositoryName repository, Blob blob, CancellationToken cancellationToken)
    {
        Expect(await metadata.BlobLinks.GetAsync(repository, blob.Digest, cancellationToken) == blob.Bytes.Length, $"{repository} links {blob.Digest}");
        await using var stream = await blobs.OpenReadAsync(blob.Digest, 0, cancellationToken);
        using var copy = new MemoryStream();
        if (stream is not null)
        {
            await stream.CopyToAsync(copy, cancellationToken);
        }
        Expect(copy.ToArray().AsSpan().SequenceEqual(blob.Bytes), $"blob {blob.Digest} bytes");
    }

    private void Expect(bool condition, string what)
    {
        if (!condition)
        {
            problems.Add(what);
        }
    }
}
