using System.Text.Json.Nodes;
using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;

namespace Dockyard.Signing.Encryption;

/// <summary>
/// Turns an image stored in the registry into an encrypted (or decrypted) copy under another reference, server-side
/// through Core's services: every layer is streamed from the blob store through the layer cipher into a new upload,
/// the config and untouched layers are mounted, and the rewritten manifest is put under the target tag. Image
/// indexes are handled child by child. Only OCI image manifests can be encrypted, as with ocicrypt.
/// </summary>
public sealed class ImageEncryptor(ManifestService manifests, BlobService blobs, BlobUploadService uploads)
{
    private delegate Task<Descriptor?> LayerTransform(RepositoryName source, RepositoryName target, Descriptor layer, CancellationToken cancellationToken);

    /// <summary>Encrypts every unencrypted OCI layer of <paramref name="source"/>:<paramref name="reference"/> for the recipients.</summary>
    /// <returns>The digest of the manifest (or index) written under <paramref name="target"/>:<paramref name="tag"/>.</returns>
    public async Task<Digest> EncryptAsync(RepositoryName source, ManifestReference reference, RepositoryName target, string tag,
        IReadOnlyList<JweRecipient> recipients, CancellationToken cancellationToken)
    {
        if (recipients.Count == 0)
        {
            throw new ArgumentException("at least one recipient is needed", nameof(recipients));
        }
        return (await CopyAsync(source, reference, target, tag, EncryptLayerAsync, encrypting: true, cancellationToken)).Digest;

        Task<Descriptor?> EncryptLayerAsync(RepositoryName from, RepositoryName to, Descriptor layer, CancellationToken token) =>
            LayerEncryptor.CanEncrypt(layer.MediaType) ? EncryptAsync(from, to, layer, recipients, token) : Task.FromResult<Descriptor?>(null);
    }

    /// <summary>Decrypts every encrypted layer of <paramref name="source"/>:<paramref name="reference"/> with <paramref name="key"/>.</summary>
    /// <exception cref="LayerDecryptionException">The key opens no recipient of a layer, or a layer was tampered with;
    /// nothing is written under the target tag then.</exception>
    public async Task<Digest> DecryptAsync(RepositoryName source, ManifestReference reference, RepositoryName target, string tag,
        JwePrivateKey key, CancellationToken cancellationToken)
    {
        return (await CopyAsync(source, reference, target, tag, DecryptLayerAsync, encrypting: false, cancellationToken)).Digest;

        Task<Descriptor?> DecryptLayerAsync(RepositoryName from, RepositoryName to, Descriptor layer, CancellationToken token) =>
            LayerEncryptor.IsEncrypted(layer) ? DecryptAsync(from, to, layer, key, token) : Task.FromResult<Descriptor?>(null);
    }

    private async Task<(Digest Digest, long Size)> CopyAsync(RepositoryName source, ManifestReference reference, RepositoryName target,
        string? tag, LayerTransform transform, bool encrypting, CancellationToken cancellationToken)
    {
        var content = await manifests.GetAsync(source, reference, cancellationToken);
        var mediaType = content.Record.MediaType;
        var manifest = JsonNode.Parse(content.Bytes)?.AsObject() ?? throw new InvalidOperationException("manifest is not a JSON object");
        if (MediaTypes.IsIndex(mediaType))
        {
            foreach (var entry in ManifestJson.Entries(manifest, "manifests"))
            {
                var child = ManifestJson.Read(entry);
                var (digest, size) = await CopyAsync(source, new ManifestReference(child.Digest, null), target, null, transform, encrypting, cancellationToken);
                ManifestJson.Write(entry, child with { Digest = digest, Size = size });
            }
        }
        else if (mediaType == MediaTypes.OciManifest || (mediaType == MediaTypes.DockerManifest && !encrypting))
        {
            await MountAsync(source, target, ManifestJson.Read(manifest["config"]!.AsObject()).Digest, cancellationToken);
            foreach (var entry in ManifestJson.Entries(manifest, "layers"))
            {
                var layer = ManifestJson.Read(entry);
                if (await transform(source, target, layer, cancellationToken) is { } changed)
                {
                    ManifestJson.Write(entry, changed);
                }
                else
                {
                    await MountAsync(source, target, layer.Digest, cancellationToken);
                }
            }
        }
        else
        {
            throw new RegistryException(RegistryErrorCode.ManifestInvalid,
                $"only OCI image manifests and indexes can be {(encrypting ? "encrypted" : "decrypted")}, not {mediaType}",
                new { reference = reference.ToString() });
        }
        var bytes = ManifestJson.Serialize(manifest);
        var written = new ManifestReference(tag is null ? Digest.Compute(bytes) : null, tag);
        var parsed = await manifests.PutAsync(target, written, bytes, mediaType, cancellationToken);
        return (parsed.Digest, bytes.Length);
    }

    private async Task<Descriptor?> EncryptAsync(RepositoryName source, RepositoryName target, Descriptor layer,
        IReadOnlyList<JweRecipient> recipients, CancellationToken cancellationToken)
    {
        var blob = await OpenAsync(source, layer.Digest, cancellationToken);
        using var encrypting = LayerEncryptor.Encrypt(layer, blob, recipients);
        return await UploadAsync(target, async id =>
        {
            await uploads.AppendAsync(target, id, encrypting.Ciphertext, null, null, cancellationToken);
            var encrypted = encrypting.Complete();
            await uploads.CompleteAsync(target, id, encrypted.Digest, Stream.Null, null, 0, cancellationToken);
            return encrypted;
        }, cancellationToken);
    }

    private async Task<Descriptor?> DecryptAsync(RepositoryName source, RepositoryName target, Descriptor layer, JwePrivateKey key,
        CancellationToken cancellationToken)
    {
        var blob = await OpenAsync(source, layer.Digest, cancellationToken);
        DecryptingLayer decrypting;
        try
        {
            decrypting = LayerEncryptor.Decrypt(layer, blob, key);
        }
        catch
        {
            await blob.DisposeAsync();
            throw;
        }
        using (decrypting)
        {
            return await UploadAsync(target, async id =>
            {
                await uploads.CompleteAsync(target, id, decrypting.Descriptor.Digest, decrypting.Plaintext, null, null, cancellationToken);
                return decrypting.Descriptor;
            }, cancellationToken);
        }
    }

    private async Task<Descriptor> UploadAsync(RepositoryName target, Func<string, Task<Descriptor>> write, CancellationToken cancellationToken)
    {
        var session = await uploads.StartAsync(target, cancellationToken);
        try
        {
            return await write(session.Id);
        }
        catch
        {
            try
            {
                await uploads.CancelAsync(target, session.Id, CancellationToken.None);
            }
            catch (RegistryException)
            {
                // Already completed or gone.
            }
            throw;
        }
    }

    private async Task<Stream> OpenAsync(RepositoryName repository, Digest digest, CancellationToken cancellationToken)
    {
        await blobs.StatAsync(repository, digest, cancellationToken);
        return await blobs.Store.OpenReadAsync(digest, 0, cancellationToken)
            ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown to registry", new { digest = digest.Value });
    }

    private async Task MountAsync(RepositoryName source, RepositoryName target, Digest digest, CancellationToken cancellationToken)
    {
        if (await uploads.TryMountAsync(target, digest, source, cancellationToken) is null)
        {
            throw new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown to registry", new { digest = digest.Value });
        }
    }
}
