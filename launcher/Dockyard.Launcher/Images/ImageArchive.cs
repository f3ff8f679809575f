using System.Text.Json;
using Dockyard.Core.Manifests;
using Dockyard.Launcher.Output;
using Dockyard.Launcher.Registry;
using Dockyard.Signing.Encryption;

namespace Dockyard.Launcher.Images;

/// <summary>
/// Writes a resolved image as a <c>docker save</c> archive (what the engine's image load API takes): the config as
/// <c>&lt;hex&gt;.json</c>, each layer (decrypted when encrypted, still compressed: the engine decompresses on load)
/// as <c>&lt;hex&gt;/layer.tar</c>, and <c>manifest.json</c> last. Layers stream from the registry into the archive;
/// each is checked against its digest (encrypted ones also by HMAC) before manifest.json is written, so a corrupt or undecryptable layer
/// truncates the archive before manifest.json and the engine loads nothing.
/// </summary>
public static class ImageArchive
{
    /// <param name="repoTag">The tag the engine gives the image (HOST/REPO:TAG); null loads it untagged (by ID).</param>
    public static async Task WriteAsync(Stream output, ResolvedImage image, string? repoTag, RegistryClient client, DecryptionKeys keys,
        ITransferDisplay display, CancellationToken cancellationToken)
    {
        var configName = image.ImageId.Hex + ".json";
        await WriteEntryAsync(output, configName, image.Config, cancellationToken);
        var layerNames = new List<string>();
        var index = 0;
        foreach (var layer in image.Manifest.Layers)
        {
            index++;
            if (layer.Urls.Count > 0)
            {
                throw new LaunchException(LaunchFailure.Registry, $"layer {layer.Digest} of {image.Reference} is a foreign layer; those are not supported");
            }
            var name = await WriteLayerAsync(output, image, layer, $"layer {index}/{image.Manifest.Layers.Count}", client, keys, display, cancellationToken);
            layerNames.Add(name);
        }
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            new Dictionary<string, object>
            {
                ["Config"] = configName,
                ["RepoTags"] = repoTag is null ? Array.Empty<string>() : [repoTag],
                ["Layers"] = layerNames,
            },
        });
        await WriteEntryAsync(output, "manifest.json", manifest, cancellationToken);
        await output.WriteAsync(TarHeaders.End(), cancellationToken);
    }

    private static async Task<string> WriteLayerAsync(Stream output, ResolvedImage image, Descriptor layer, string label, RegistryClient client,
        DecryptionKeys keys, ITransferDisplay display, CancellationToken cancellationToken)
    {
        var encrypted = LayerEncryptor.IsEncrypted(layer);
        var transfer = display.Begin($"{label} {layer.Digest.Hex[..12]}{(encrypted ? " (decrypting)" : "")}", layer.Size);
        using var response = await client.OpenBlobAsync(image.Reference.Repository, layer.Digest, cancellationToken);
        var download = new ProgressStream(await response.Content.ReadAsStreamAsync(cancellationToken), transfer);
        Stream plaintext;
        var plainDigest = layer.Digest;
        if (encrypted)
        {
            var decrypting = LayerEncryptor.Decrypt(layer, download, keys.For(layer));
            plaintext = decrypting.Plaintext;
            plainDigest = decrypting.Descriptor.Digest;
        }
        else
        {
            plaintext = new VerifyingStream(download, layer.Digest, layer.Size);
        }
        await using (plaintext)
        {
            var directory = plainDigest.Hex;
            var name = $"{directory}/layer.tar";
            await output.WriteAsync(TarHeaders.Directory(directory), cancellationToken);
            await output.WriteAsync(TarHeaders.File(name, layer.Size), cancellationToken);
            try
            {
                await CopyExactlyAsync(plaintext, output, layer.Size, cancellationToken);
            }
            catch (LayerDecryptionException e)
            {
                throw new LaunchException(LaunchFailure.DecryptionFailed, $"layer {layer.Digest} of {image.Reference}: {e.Message}", e);
            }
            catch (InvalidDataException e)
            {
                throw new LaunchException(LaunchFailure.Registry, $"layer {layer.Digest} of {image.Reference}: {e.Message}", e);
            }
            await output.WriteAsync(new byte[TarHeaders.Padding(layer.Size)], cancellationToken);
            transfer.Done();
            return name;
        }
    }

    /// <summary>Copies <paramref name="size"/> bytes and then reads the end, so that the source verifies what it gave.</summary>
    private static async Task CopyExactlyAsync(Stream source, Stream destination, long size, CancellationToken cancellationToken)
    {
        var buffer = new byte[128 * 1024];
        var left = size;
        while (left > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                throw new InvalidDataException($"the blob ended {left} bytes short of its size {size}");
            }
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            left -= read;
        }
        if (await source.ReadAsync(buffer.AsMemory(0, 1), cancellationToken) != 0)
        {
            throw new InvalidDataException($"the blob is longer than its size {size}");
        }
    }

    private static async Task WriteEntryAsync(Stream output, string name, byte[] content, CancellationToken cancellationToken)
    {
        await output.WriteAsync(TarHeaders.File(name, content.Length), cancellationToken);
        await output.WriteAsync(content, cancellationToken);
        await output.WriteAsync(new byte[TarHeaders.Padding(content.Length)], cancellationToken);
    }
}
