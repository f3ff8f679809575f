using System.Text.Json;
using Dockyard.Core.Blobs;
using Dockyard.Core.Collection;
using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Manifests;

/// <summary>A manifest as served: its record and its exact stored bytes.</summary>
public sealed record ManifestContent(ManifestRecord Record, byte[] Bytes);

/// <summary>
/// Puts, gets and deletes manifests by tag or digest. Manifest bytes are stored as content-addressed blobs and
/// returned exactly as pushed; everything they reference must already be in the repository.
/// </summary>
public sealed class ManifestService(IBlobStore blobs, IMetadataStore metadata, ManifestContentCache cache, BlobLinker linker,
    IManifestCommitGuard commitGuard, TimeProvider time)
{
    public async Task<ManifestContent> GetAsync(RepositoryName repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var stored = (reference.Digest is { } digest
            ? await metadata.Manifests.GetContentAsync(repository, digest, cancellationToken)
            : await metadata.GetTaggedManifestContentAsync(repository, reference.Tag!, cancellationToken)) ?? throw Unknown(reference);
        // Inline bytes skip the file and the cache: in a registry far larger than the cache most pulls would miss it,
        // and each miss would open a file and push another entry out.
        return stored.Content is { } inline && inline.Length == stored.Record.Size
            ? new ManifestContent(stored.Record, inline)
            : new ManifestContent(stored.Record, await ReadBytesAsync(stored.Record, cancellationToken));
    }

    /// <summary>Puts a manifest whose caller sent no volume fencing token (every door but the V2 manifest PUT).</summary>
    public Task<ParsedManifest> PutAsync(RepositoryName repository, ManifestReference reference, ReadOnlyMemory<byte> body, string? contentType,
        CancellationToken cancellationToken) =>
        PutAsync(repository, reference, body, contentType, null, cancellationToken);

    /// <summary>
    /// Parses, checks and stores a manifest, then moves <paramref name="reference"/>'s tag to it. The body is parsed
    /// once here; the <see cref="IManifestCommitGuard"/> sees the parsed manifest before the store and again before the tag.
    /// </summary>
    /// <param name="fencingToken">The caller's volume fencing token as sent; null when it sent none.</param>
    public async Task<ParsedManifest> PutAsync(RepositoryName repository, ManifestReference reference, ReadOnlyMemory<byte> body, string? contentType,
        string? fencingToken, CancellationToken cancellationToken)
    {
        var manifest = ManifestParser.Parse(body, contentType, reference.Digest?.Algorithm ?? Digest.Sha256);
        if (reference.Digest is { } expected && expected != manifest.Digest)
        {
            throw new RegistryException(RegistryErrorCode.DigestInvalid, "manifest digest does not match the reference",
                new { expected = expected.Value, actual = manifest.Digest.Value });
        }
        var commit = new ManifestCommit(repository, reference, manifest, fencingToken);
        await commitGuard.CheckAsync(commit, cancellationToken);
        await VerifyReferencesAsync(repository, manifest, cancellationToken);
        await StoreBytesAsync(manifest.Digest, body, cancellationToken);
        var record = new ManifestRecord(manifest.Digest, manifest.MediaType, manifest.Size, manifest.Subject?.Digest,
            manifest.EffectiveArtifactType,
            manifest.Annotations is null ? null : JsonSerializer.Serialize(manifest.Annotations, CoreJson.Default.IReadOnlyDictionaryStringString),
            time.GetUtcNow());
        await metadata.Manifests.PutAsync(repository, record, body, cancellationToken);
        await KeepReachableAsync(repository, manifest, record, cancellationToken);
        await ConfirmAsync(commit, record, cancellationToken);
        if (reference.Tag is { } tag)
        {
            await SetTagAsync(repository, tag, manifest, record, body, cancellationToken);
        }
        return manifest;
    }

    // The guard's second look comes after the store and before the tag: a right lost while the bytes were written (a
    // volume lease taken over) must not leave this manifest tagged, so the manifest this PUT stored is taken back.
    private async Task ConfirmAsync(ManifestCommit commit, ManifestRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await commitGuard.ConfirmAsync(commit, cancellationToken);
        }
        catch (RegistryException)
        {
            await ForgetAsync(commit.Repository, record, cancellationToken);
            throw;
        }
    }

    // Garbage collection may run at any time on any node (see BlobLinker): what the stored manifest refers to is
    // touched or re-linked after it is stored, so a collection either sees the manifest or sees the fresh references.
    private async Task KeepReachableAsync(RepositoryName repository, ParsedManifest manifest, ManifestRecord record, CancellationToken cancellationToken)
    {
        foreach (var child in manifest.Manifests)
        {
            if (!await metadata.Manifests.TouchAsync(repository, child.Digest, cancellationToken))
            {
                await ForgetAsync(repository, record, cancellationToken);
                throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown, "manifest in index unknown to repository", new { digest = child.Digest.Value });
            }
        }
        try
        {
            await linker.KeepLinkedAsync(repository,
                manifest.RequiredBlobs.Select(b => (b.Digest, b.Size)).Prepend((manifest.Digest, manifest.Size)), cancellationToken);
        }
        catch (BlobCollectedException)
        {
            await ForgetAsync(repository, record, cancellationToken);
            throw;
        }
    }

    // A tag set finds the manifest gone only when a collection removed it (untagged and old) after it was stored
    // again here; storing it once more is what the client asked for.
    private async Task SetTagAsync(RepositoryName repository, string tag, ParsedManifest manifest, ManifestRecord record, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await metadata.Tags.SetAsync(repository, tag, manifest.Digest, cancellationToken))
            {
                return;
            }
            record = record with { CreatedAt = time.GetUtcNow() };
            await metadata.Manifests.PutAsync(repository, record, body, cancellationToken);
            await KeepReachableAsync(repository, manifest, record, cancellationToken);
        }
        throw new BlobCollectedException(manifest.Digest);
    }

    // Takes back a manifest this request stored, and only that: one stored earlier (another CreatedAt) stays.
    private async Task ForgetAsync(RepositoryName repository, ManifestRecord record, CancellationToken cancellationToken)
    {
        if (await metadata.Manifests.GetAsync(repository, record.Digest, CancellationToken.None) is { } stored && stored.CreatedAt == record.CreatedAt)
        {
            await metadata.Manifests.DeleteAsync(repository, record.Digest, CancellationToken.None);
        }
    }

    /// <summary>By digest removes the manifest and its tags; by tag removes only the tag.</summary>
    public async Task DeleteAsync(RepositoryName repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var deleted = reference.Digest is { } digest
            ? await metadata.Manifests.DeleteAsync(repository, digest, cancellationToken)
            : await metadata.Tags.DeleteAsync(repository, reference.Tag!, cancellationToken);
        if (!deleted)
        {
            throw Unknown(reference);
        }
    }

    private async Task VerifyReferencesAsync(RepositoryName repository, ParsedManifest manifest, CancellationToken cancellationToken)
    {
        foreach (var blob in manifest.RequiredBlobs)
        {
            var size = await metadata.BlobLinks.GetAsync(repository, blob.Digest, cancellationToken)
                ?? throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown, "blob unknown to registry", new { digest = blob.Digest.Value });
            if (size != blob.Size)
            {
                throw new RegistryException(RegistryErrorCode.ManifestInvalid, "descriptor size does not match the blob",
                    new { digest = blob.Digest.Value, descriptorSize = blob.Size, blobSize = size });
            }
        }
        foreach (var child in manifest.Manifests)
        {
            if (await metadata.Manifests.GetAsync(repository, child.Digest, cancellationToken) is null)
            {
                throw new RegistryException(RegistryErrorCode.ManifestBlobUnknown, "manifest in index unknown to repository", new { digest = child.Digest.Value });
            }
        }
    }

    private async Task StoreBytesAsync(Digest digest, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (await blobs.StatAsync(digest, cancellationToken) is not null)
        {
            return;
        }
        var id = Guid.NewGuid().ToString("N");
        await blobs.CreateUploadAsync(id, cancellationToken);
        try
        {
            using var source = new MemoryStream(body.ToArray(), writable: false);
            var partId = Guid.NewGuid().ToString("N");
            var part = new UploadPart(partId, await blobs.WriteUploadPartAsync(id, partId, source, cancellationToken));
            await blobs.PublishUploadAsync(id, [part], digest, cancellationToken);
        }
        catch
        {
            await blobs.DeleteUploadAsync(id, CancellationToken.None);
            throw;
        }
    }

    private async Task<byte[]> ReadBytesAsync(ManifestRecord record, CancellationToken cancellationToken)
    {
        if (cache.Get(record.Digest) is { } cached)
        {
            return cached;
        }
        var bytes = await SmallBlobReader.ReadAsync(blobs, record.Digest, record.Size, cancellationToken)
            ?? throw new InvalidOperationException($"manifest {record.Digest} is indexed but its bytes are missing from the blob store");
        cache.Add(record.Digest, bytes);
        return bytes;
    }

    private static RegistryException Unknown(ManifestReference reference) =>
        new(RegistryErrorCode.ManifestUnknown, "manifest unknown to registry", new { reference = reference.ToString() });
}
