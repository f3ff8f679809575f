using System.Text.RegularExpressions;
using Dockyard.Core.Blobs;
using Dockyard.Core.Collection;
using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Signatures;

/// <summary>A stored signature with its bytes, read back and checked against its content digest.</summary>
public sealed record ImageSignatureContent(ImageSignature Signature, byte[] Bytes);

/// <summary>
/// Stores and lists the signatures of manifests (the signature API extension): only for manifests the repository
/// holds, at most <see cref="MaxBytes"/> per signature and <see cref="MaxPerManifest"/> per manifest, names of the
/// form <c>&lt;manifest digest&gt;@&lt;suffix&gt;</c> as containers/image and OpenShift make them. Storing never
/// verifies: the signing policy checks signatures when a manifest is pulled.
/// </summary>
public sealed partial class ImageSignatureService(IBlobStore blobs, IMetadataStore metadata, IImageSignatureStore store, BlobLinker linker, TimeProvider time)
{
    /// <summary>The only schema version of the extension's signature objects.</summary>
    public const int SchemaVersion = 2;

    /// <summary>The type containers/image gives simple-signing signatures.</summary>
    public const string AtomicType = "atomic";

    /// <summary>A simple-signing signature is well under 4 KiB; anything this large is not one.</summary>
    public const int MaxBytes = 256 * 1024;

    public const int MaxPerManifest = 256;

    /// <summary>Stores a signature; storing the same bytes under a name again is a no-op.</summary>
    /// <exception cref="RegistryException">MANIFEST_UNKNOWN, INVALID_FIELD (version, name, type, content) or CONFLICT (name taken by other bytes).</exception>
    public async Task<ImageSignature> AddAsync(RepositoryName repository, Digest manifest, int schemaVersion, string name, string? type, byte[] content,
        CancellationToken cancellationToken)
    {
        if (schemaVersion != SchemaVersion)
        {
            throw Invalid("schemaVersion", $"only schemaVersion {SchemaVersion} is supported");
        }
        if (!name.StartsWith(manifest.Value + "@", StringComparison.Ordinal) || !SuffixPattern().IsMatch(name[(manifest.Value.Length + 1)..]))
        {
            throw Invalid("name", $"expected '{manifest}@<suffix>' (suffix: 1-128 letters, digits, '.', '_', '-')");
        }
        type = string.IsNullOrEmpty(type) ? AtomicType : type;
        if (!TypePattern().IsMatch(type))
        {
            throw Invalid("type", "expected 1-64 letters, digits, '.', '_', '-'");
        }
        if (content.Length is 0 or > MaxBytes)
        {
            throw Invalid("content", $"expected 1 to {MaxBytes} bytes of signature (base64), got {content.Length}");
        }
        await RequireManifestAsync(repository, manifest, cancellationToken);
        if ((await store.ListAsync(repository, manifest, MaxPerManifest, cancellationToken)).Count >= MaxPerManifest)
        {
            throw new RegistryException(RegistryErrorCode.Denied, $"manifest {manifest} already has {MaxPerManifest} signatures", new { manifest = manifest.Value });
        }
        var digest = Digest.Compute(content);
        await StoreBlobAsync(digest, content, cancellationToken);
        // Linked before the record is stored, fresh, so that garbage collection keeps it until it sees the record.
        await linker.LinkAsync(repository, digest, content.Length, cancellationToken);
        var signature = new ImageSignature(repository, manifest, name, type, schemaVersion, digest, content.Length, time.GetUtcNow());
        if (await store.TryAddAsync(signature, cancellationToken))
        {
            return signature;
        }
        var existing = await store.GetAsync(repository, manifest, name, cancellationToken);
        return existing is not null && existing.Content == digest && existing.Type == type
            ? existing
            : throw new RegistryException(RegistryErrorCode.Conflict, "a different signature of that name exists", new { name });
    }

    /// <summary>The signatures of <paramref name="manifest"/>, ordered by name; those whose bytes are gone or altered are left out.</summary>
    /// <exception cref="RegistryException">MANIFEST_UNKNOWN when the repository does not hold the manifest.</exception>
    public async Task<IReadOnlyList<ImageSignatureContent>> ListAsync(RepositoryName repository, Digest manifest, CancellationToken cancellationToken)
    {
        await RequireManifestAsync(repository, manifest, cancellationToken);
        var found = new List<ImageSignatureContent>();
        foreach (var signature in await store.ListAsync(repository, manifest, MaxPerManifest, cancellationToken))
        {
            if (signature.Size is > 0 and <= MaxBytes && await ReadAsync(signature, cancellationToken) is { } bytes)
            {
                found.Add(new ImageSignatureContent(signature, bytes));
            }
        }
        return found;
    }

    private async Task<byte[]?> ReadAsync(ImageSignature signature, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(signature.Content, 0, cancellationToken);
        if (stream is null)
        {
            return null;
        }
        var bytes = new byte[signature.Size];
        try
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        return Digest.Compute(bytes, signature.Content.Algorithm) == signature.Content ? bytes : null;
    }

    private async Task RequireManifestAsync(RepositoryName repository, Digest manifest, CancellationToken cancellationToken)
    {
        if (await metadata.Manifests.GetAsync(repository, manifest, cancellationToken) is null)
        {
            throw new RegistryException(RegistryErrorCode.ManifestUnknown, "manifest unknown to registry", new { reference = manifest.Value });
        }
    }

    private async Task StoreBlobAsync(Digest digest, byte[] content, CancellationToken cancellationToken)
    {
        if (await blobs.StatAsync(digest, cancellationToken) is not null)
        {
            return;
        }
        var id = Guid.NewGuid().ToString("N");
        await blobs.CreateUploadAsync(id, cancellationToken);
        try
        {
            using var source = new MemoryStream(content, writable: false);
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

    private static RegistryException Invalid(string field, string message) =>
        new(RegistryErrorCode.InvalidField, $"invalid signature: {field}: {message}", new { field });

    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,128}\z")]
    private static partial Regex SuffixPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex TypePattern();
}
