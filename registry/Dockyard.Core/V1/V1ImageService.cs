using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Blobs;
using Dockyard.Core.Bodies;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;

namespace Dockyard.Core.V1;

/// <summary>
/// The V1 image push and pull, always inside one repository (an image id means nothing across repositories):
/// <c>PUT json</c> (creates or restarts an incomplete image), <c>PUT layer</c> (streams the bytes into a
/// content-addressed blob, computing the payload checksum on the way), <c>PUT checksum</c> (verifies and completes),
/// and reads of complete images and their ancestry. Errors carry the messages docker 1.x looks for.
/// </summary>
public sealed class V1ImageService(IV1ImageStore store, IBlobStore blobs, BlobUploadService uploads, TimeProvider time)
{
    public const int MaxJsonBytes = 1 << 20;
    private const int MaxAncestry = 1000;

    /// <summary><c>PUT /v1/images/&lt;id&gt;/json</c>: the JSON must name the same id and a parent the repository holds.</summary>
    public async Task PutJsonAsync(RepositoryName repository, string id, byte[] json, CancellationToken cancellationToken)
    {
        V1Names.RequireImageId(id);
        string? parent;
        try
        {
            using var document = StrictJson.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("json", "must be a JSON object");
            }
            if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String || idElement.GetString() != id)
            {
                throw Invalid("id", "the JSON's id must be the image id of the URL");
            }
            parent = !root.TryGetProperty("parent", out var p) || p.ValueKind == JsonValueKind.Null ? null
                : p.ValueKind != JsonValueKind.String ? throw Invalid("parent", "the parent must be an image id")
                : p.GetString() is { Length: > 0 } text ? V1Names.RequireImageId(text, "parent") : null;
        }
        catch (JsonException e)
        {
            throw Invalid("json", "invalid JSON: " + e.Message);
        }
        if (parent == id || (parent is not null && await store.GetImageAsync(repository, parent, cancellationToken) is null))
        {
            throw Invalid("parent", "Image depends on a non existing parent");
        }
        var image = new V1Image(id, Encoding.UTF8.GetString(json), parent, null, null, false, time.GetUtcNow());
        if (!await store.TryPutIncompleteAsync(repository, image, cancellationToken))
        {
            throw new RegistryException(RegistryErrorCode.Conflict, "Image already exists", new { id });
        }
    }

    /// <summary>
    /// <c>PUT /v1/images/&lt;id&gt;/layer</c>: stores the body as a blob linked into <paramref name="repository"/>
    /// and records its digest, size, diff id and payload checksum on the (incomplete) image.
    /// </summary>
    public async Task<V1Layer> PutLayerAsync(RepositoryName repository, string id, Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        var image = await RequireAsync(repository, id, cancellationToken);
        if (image.Complete)
        {
            throw new RegistryException(RegistryErrorCode.Conflict, "Image already exists", new { id });
        }
        using var blobHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var payloadHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        payloadHash.AppendData(Encoding.UTF8.GetBytes(image.Json + "\n"));
        var session = await uploads.StartAsync(repository, cancellationToken);
        var hashing = new HashingReadStream(new HashingReadStream(body, blobHash), payloadHash);
        long size;
        Digest digest;
        try
        {
            size = await uploads.AppendAsync(repository, session.Id, hashing, null, contentLength, cancellationToken);
            digest = Digest.FromHash(Digest.Sha256, blobHash.GetCurrentHash());
            await uploads.CompleteAsync(repository, session.Id, digest, Stream.Null, null, 0, cancellationToken);
        }
        catch
        {
            // The session lives for this request only: a refused or broken body must not leave it to the purge.
            await uploads.CancelQuietlyAsync(repository, session.Id);
            throw;
        }
        var (gzip, diffId) = await DiffIdAsync(digest, cancellationToken);
        var layer = new V1Layer(digest, size, diffId, gzip, "sha256:" + Convert.ToHexStringLower(payloadHash.GetCurrentHash()));
        if (!await store.TryUpdateIncompleteAsync(repository, image with { Layer = layer }, cancellationToken))
        {
            throw new RegistryException(RegistryErrorCode.Conflict, "Image already exists", new { id });
        }
        return layer;
    }

    /// <summary>
    /// <c>PUT /v1/images/&lt;id&gt;/checksum</c>: the payload checksum (<c>X-Docker-Checksum-Payload</c>, or a
    /// <c>sha256:</c> <c>X-Docker-Checksum</c>) must match the uploaded layer; the image is then complete.
    /// </summary>
    /// <param name="declared">X-Docker-Checksum; null when absent.</param>
    /// <param name="payload">X-Docker-Checksum-Payload; null when absent.</param>
    public async Task<V1Image> PutChecksumAsync(RepositoryName repository, string id, string? declared, string? payload, CancellationToken cancellationToken)
    {
        var provided = payload ?? declared;
        if (string.IsNullOrEmpty(provided))
        {
            throw Invalid("X-Docker-Checksum-Payload", "Missing Image's checksum");
        }
        var image = await RequireAsync(repository, id, cancellationToken);
        if (image.Complete)
        {
            throw new RegistryException(RegistryErrorCode.Conflict, "Cannot set this image checksum", new { id });
        }
        if (image.Layer is not { } layer)
        {
            throw new RegistryException(RegistryErrorCode.BlobUnknown, "the layer of this image was not uploaded", new { id });
        }
        if (!string.Equals(provided, layer.PayloadChecksum, StringComparison.Ordinal))
        {
            var message = provided.StartsWith("tarsum", StringComparison.Ordinal)
                ? "Checksum mismatch: tarsum is not verified; send X-Docker-Checksum-Payload (docker 0.10 or later)"
                : "Checksum mismatch";
            throw new RegistryException(RegistryErrorCode.DigestInvalid, message, new { id, provided, expected = layer.PayloadChecksum });
        }
        var complete = image with { Checksum = declared ?? payload, Complete = true };
        if (!await store.TryUpdateIncompleteAsync(repository, complete, cancellationToken))
        {
            throw new RegistryException(RegistryErrorCode.Conflict, "Cannot set this image checksum", new { id });
        }
        return complete;
    }

    /// <summary>A complete image of the repository; 404 when the repository holds none of that id, 400 while it is being pushed.</summary>
    public async Task<V1Image> GetCompleteAsync(RepositoryName repository, string id, CancellationToken cancellationToken)
    {
        var image = await RequireAsync(repository, id, cancellationToken);
        return image.Complete ? image
            : throw new RegistryException(RegistryErrorCode.InvalidField, "Image is being uploaded, retry later", new { id });
    }

    /// <summary>The image and its ancestors in the repository, the image first and the base image last.</summary>
    public async Task<IReadOnlyList<V1Image>> GetAncestryAsync(RepositoryName repository, string id, CancellationToken cancellationToken)
    {
        var chain = new List<V1Image> { await GetCompleteAsync(repository, id, cancellationToken) };
        while (chain[^1].Parent is { } parent)
        {
            if (chain.Count >= MaxAncestry || chain.Any(i => i.Id == parent))
            {
                throw Invalid("parent", "the image's ancestry is too long or cyclic");
            }
            chain.Add(await GetCompleteAsync(repository, parent, cancellationToken));
        }
        return chain;
    }

    /// <summary>The repository's image; 400 for a malformed id, 404 when the repository holds none of that id.</summary>
    public async Task<V1Image> RequireAsync(RepositoryName repository, string id, CancellationToken cancellationToken)
    {
        V1Names.RequireImageId(id);
        return await store.GetImageAsync(repository, id, cancellationToken)
            ?? throw new RegistryException(RegistryErrorCode.NotFound, "Image not found", new { id });
    }

    /// <summary>The repository's image, complete or not; null when the repository holds none of that id.</summary>
    public Task<V1Image?> FindAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        store.GetImageAsync(repository, id, cancellationToken);

    /// <summary>Opens the layer blob of a complete image.</summary>
    public async Task<(Stream Content, long Size)> OpenLayerAsync(V1Image image, CancellationToken cancellationToken)
    {
        var layer = image.Layer ?? throw new RegistryException(RegistryErrorCode.NotFound, "Image not found", new { image.Id });
        var stream = await blobs.OpenReadAsync(layer.Digest, 0, cancellationToken)
            ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "the image's layer is missing from storage", new { image.Id });
        return (stream, layer.Size);
    }

    // Reads the stored layer once more when it is gzip: the diff id is the digest of the uncompressed tar.
    private async Task<(bool Gzip, Digest DiffId)> DiffIdAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(digest, 0, cancellationToken)
            ?? throw new InvalidOperationException($"blob {digest} vanished after its upload");
        var magic = new byte[2];
        var read = await stream.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken);
        if (read < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
        {
            return (false, digest);
        }
        await using var again = await blobs.OpenReadAsync(digest, 0, cancellationToken)
            ?? throw new InvalidOperationException($"blob {digest} vanished after its upload");
        try
        {
            await using var gzip = new GZipStream(again, CompressionMode.Decompress);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await new HashingReadStream(gzip, hash).CopyToAsync(Stream.Null, cancellationToken);
            return (true, Digest.FromHash(Digest.Sha256, hash.GetCurrentHash()));
        }
        catch (InvalidDataException e)
        {
            throw Invalid("layer", "the layer starts like gzip but is not valid gzip: " + e.Message);
        }
    }

    private static RegistryException Invalid(string field, string message) =>
        new(RegistryErrorCode.InvalidField, message, new { field });
}
