using System.Text.Json;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Uploads;

namespace Dockyard.Core.V1;

/// <summary>
/// Makes a V1-pushed image visible through V2: for a tag it writes a Docker schema2 manifest whose layers are the
/// ancestry's layer blobs (base first; gzip ones as <c>tar.gzip</c>, others as uncompressed <c>tar</c>) and whose
/// config is an image config built from the top image's JSON, with <c>rootfs.diff_ids</c> and one history entry per
/// V1 image. The layer blobs are linked into the repository first, so the manifest passes the usual checks.
/// </summary>
public sealed class V1ToSchema2(BlobUploadService uploads, ManifestService manifests)
{
    public const string GzipLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string TarLayer = "application/vnd.docker.image.rootfs.diff.tar";
    public const string ConfigMediaType = "application/vnd.docker.container.image.v1+json";

    /// <param name="ancestry">The tagged image first, its base image last (as <see cref="V1ImageService.GetAncestryAsync"/> returns it).</param>
    public async Task<ParsedManifest> TagAsync(RepositoryName repository, string tag, IReadOnlyList<V1Image> ancestry, CancellationToken cancellationToken)
    {
        var chain = ancestry.Reverse().ToList();
        foreach (var image in chain)
        {
            var layer = image.Layer ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "an image of the ancestry has no layer", new { image.Id });
            if (await uploads.TryMountAsync(repository, layer.Digest, null, cancellationToken) is null)
            {
                throw new RegistryException(RegistryErrorCode.BlobUnknown, "the layer of an image is missing from storage", new { image.Id });
            }
        }
        var config = BuildConfig(chain);
        var configDigest = Digest.Compute(config);
        var session = await uploads.StartAsync(repository, cancellationToken);
        await uploads.CompleteAsync(repository, session.Id, configDigest, new MemoryStream(config), null, config.Length, cancellationToken);
        var manifest = BuildManifest(chain, configDigest, config.Length);
        return await manifests.PutAsync(repository, new ManifestReference(null, tag), manifest, MediaTypes.DockerManifest, cancellationToken);
    }

    private static byte[] BuildManifest(IReadOnlyList<V1Image> chain, Digest configDigest, long configSize)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.DockerManifest);
            writer.WriteStartObject("config");
            WriteDescriptor(writer, ConfigMediaType, configSize, configDigest);
            writer.WriteEndObject();
            writer.WriteStartArray("layers");
            foreach (var layer in chain.Select(i => i.Layer!))
            {
                writer.WriteStartObject();
                WriteDescriptor(writer, layer.Gzip ? GzipLayer : TarLayer, layer.Size, layer.Digest);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter writer, string mediaType, long size, Digest digest)
    {
        writer.WriteString("mediaType", mediaType);
        writer.WriteNumber("size", size);
        writer.WriteString("digest", digest.Value);
    }

    /// <summary>The image config: the top image's fields that docker's config keeps, plus rootfs and history.</summary>
    internal static byte[] BuildConfig(IReadOnlyList<V1Image> chain)
    {
        using var top = JsonDocument.Parse(chain[^1].Json);
        var root = top.RootElement;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("architecture", StringOr(root, "architecture", "amd64"));
            writer.WriteString("os", StringOr(root, "os", "linux"));
            foreach (var name in new[] { "created", "author", "docker_version", "comment", "variant", "container", "config", "container_config" })
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
            }
            writer.WriteStartObject("rootfs");
            writer.WriteString("type", "layers");
            writer.WriteStartArray("diff_ids");
            foreach (var image in chain)
            {
                writer.WriteStringValue(image.Layer!.DiffId.Value);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartArray("history");
            foreach (var image in chain)
            {
                WriteHistory(writer, image);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteHistory(Utf8JsonWriter writer, V1Image image)
    {
        using var document = JsonDocument.Parse(image.Json);
        var root = document.RootElement;
        writer.WriteStartObject();
        foreach (var name in new[] { "created", "author", "comment" })
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                writer.WriteString(name, value.GetString());
            }
        }
        if (root.TryGetProperty("container_config", out var container) && container.ValueKind == JsonValueKind.Object
            && container.TryGetProperty("Cmd", out var cmd) && cmd.ValueKind == JsonValueKind.Array)
        {
            var parts = cmd.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString());
            writer.WriteString("created_by", string.Join(' ', parts));
        }
        writer.WriteEndObject();
    }

    private static string StringOr(JsonElement root, string name, string fallback) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text : fallback;
}
