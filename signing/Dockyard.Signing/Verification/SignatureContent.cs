using Dockyard.Core.Blobs;
using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Verification;

/// <summary>
/// Reads signature manifests and their (small) blobs from the registry's stores for the verifiers. Blobs are read
/// only when linked into the repository, only up to <see cref="MaxBlobBytes"/>, and their bytes are checked against
/// their digest, so a verifier never trusts the store's word for content.
/// </summary>
public sealed class SignatureContent(IBlobStore blobs, IMetadataStore metadata, ManifestService manifests)
{
    /// <summary>Signature payloads and envelopes are a few KiB; anything larger is not a signature.</summary>
    public const int MaxBlobBytes = 1024 * 1024;

    /// <summary>The manifest under <paramref name="tag"/>, or null when the tag does not exist.</summary>
    public async Task<ParsedManifest?> FindByTagAsync(RepositoryName repository, string tag, CancellationToken cancellationToken)
    {
        if (await metadata.Tags.GetAsync(repository, tag, cancellationToken) is not { } digest)
        {
            return null;
        }
        return await GetAsync(repository, digest, cancellationToken);
    }

    /// <summary>The manifest <paramref name="digest"/> of the repository, or null when it is not there.</summary>
    public async Task<ParsedManifest?> GetAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        if (await metadata.Manifests.GetAsync(repository, digest, cancellationToken) is null)
        {
            return null;
        }
        var content = await manifests.GetAsync(repository, new ManifestReference(digest, null), cancellationToken);
        return ManifestParser.Parse(content.Bytes, content.Record.MediaType, digest.Algorithm);
    }

    /// <summary>The referrers of <paramref name="subject"/> whose artifact type is <paramref name="artifactType"/>.</summary>
    public async Task<IReadOnlyList<ReferrerRecord>> ReferrersAsync(RepositoryName repository, Digest subject, string artifactType, CancellationToken cancellationToken)
    {
        var all = await metadata.Manifests.ListReferrersAsync(repository, subject, cancellationToken);
        return all.Where(r => r.ArtifactType == artifactType).ToList();
    }

    /// <exception cref="SignatureFormatException">When the blob is missing, too large or not what its digest says.</exception>
    public async Task<byte[]> ReadBlobAsync(RepositoryName repository, Descriptor descriptor, CancellationToken cancellationToken)
    {
        if (descriptor.Size is < 0 or > MaxBlobBytes)
        {
            throw new SignatureFormatException($"blob {descriptor.Digest} of {descriptor.Size} bytes is not a signature (limit {MaxBlobBytes})");
        }
        if (await metadata.BlobLinks.GetAsync(repository, descriptor.Digest, cancellationToken) is null)
        {
            throw new SignatureFormatException($"blob {descriptor.Digest} is not in the repository");
        }
        await using var stream = await blobs.OpenReadAsync(descriptor.Digest, 0, cancellationToken)
            ?? throw new SignatureFormatException($"blob {descriptor.Digest} is missing from the blob store");
        var bytes = new byte[descriptor.Size];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        if (Digest.Compute(bytes, descriptor.Digest.Algorithm) != descriptor.Digest)
        {
            throw new SignatureFormatException($"blob {descriptor.Digest} does not match its digest");
        }
        return bytes;
    }
}
