using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using Dockyard.Core.Blobs;
using Dockyard.Core.Bodies;
using Dockyard.Core.Collection;
using Dockyard.Core.Errors;
using Dockyard.Core.Manifests;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Core.Quotas;
using Dockyard.Core.Uploads;

namespace Dockyard.Core.Appc;

/// <summary>
/// Serves any Docker/OCI image of a repository as an ACI: resolves the tag (and the platform of an index),
/// flattens the layers into <c>rootfs/</c>, writes an appc manifest from the image config, and caches the
/// uncompressed tar as a <c>sha512</c> blob keyed by the image manifest's digest. Converted ACIs are unsigned, so
/// the pull guard checks every manifest the conversion reads (index and image) as a V2 pull of them would be checked.
/// The ACI is linked into the repository, so it counts against the namespace's quota: with one, the layers' uncompressed
/// bytes must fit in the room left (a layer of gzip-compressed zeros, small when pushed, would otherwise become an ACI
/// a thousand times larger on the registry's disk); a conversion that does not fit is QUOTA_EXCEEDED and stores nothing.
/// </summary>
public sealed class AciConverter(ManifestService manifests, IBlobStore blobs, IAciStore store, IManifestPullGuard guard, BlobLinker linker, NamespaceQuota quota)
{
    /// <summary>appc arch names and their OCI (architecture, variant).</summary>
    private static readonly Dictionary<string, (string Arch, string? Variant)> Arches = new(StringComparer.Ordinal)
    {
        ["amd64"] = ("amd64", null), ["i386"] = ("386", null), ["aarch64"] = ("arm64", null), ["arm64"] = ("arm64", null),
        ["armv7l"] = ("arm", "v7"), ["armv6l"] = ("arm", "v6"), ["ppc64le"] = ("ppc64le", null), ["s390x"] = ("s390x", null),
    };

    /// <summary>The ACI of the image tagged <paramref name="tag"/> for os/arch, converted now or earlier.</summary>
    /// <exception cref="RegistryException">MANIFEST_UNKNOWN when no such image or platform exists; UNSUPPORTED for layers that cannot be read.</exception>
    public async Task<AciConversion> ConvertAsync(RepositoryName repository, string name, string tag, string os, string arch, CancellationToken cancellationToken)
    {
        if (!Tag.IsValid(tag) || !Arches.TryGetValue(arch, out var platform))
        {
            throw Unknown(repository, tag, os, arch);
        }
        var content = await manifests.GetAsync(repository, new ManifestReference(null, tag), cancellationToken);
        await guard.CheckAsync(repository, content, cancellationToken);
        var manifest = ManifestParser.Parse(content.Bytes, content.Record.MediaType, content.Record.Digest.Algorithm);
        if (manifest.IsIndex)
        {
            var child = manifest.Manifests.FirstOrDefault(m => m.Platform is { } p && p.Os == os && p.Architecture == platform.Arch
                && (platform.Variant is null || p.Variant is null || p.Variant == platform.Variant)) ?? throw Unknown(repository, tag, os, arch);
            content = await manifests.GetAsync(repository, new ManifestReference(child.Digest, null), cancellationToken);
            await guard.CheckAsync(repository, content, cancellationToken);
            manifest = ManifestParser.Parse(content.Bytes, content.Record.MediaType, content.Record.Digest.Algorithm);
        }
        if (manifest.Config is null)
        {
            throw Unknown(repository, tag, os, arch);
        }
        using var config = ParseConfig(await ReadBlobAsync(manifest.Config.Digest, cancellationToken)) ?? throw Unknown(repository, tag, os, arch);
        if (Text(config.RootElement, "os") is { } imageOs && imageOs != os || Text(config.RootElement, "architecture") is { } imageArch && imageArch != platform.Arch)
        {
            throw Unknown(repository, tag, os, arch);
        }
        if (await store.GetConversionAsync(repository, manifest.Digest, cancellationToken) is { } cached && await blobs.StatAsync(cached.Aci, cancellationToken) is not null)
        {
            return cached;
        }
        var conversion = await WriteAciAsync(repository, manifest, name, tag, os, arch, config.RootElement, cancellationToken);
        await store.PutConversionAsync(conversion, cancellationToken);
        return await store.GetConversionAsync(repository, manifest.Digest, cancellationToken) ?? conversion;
    }

    private async Task<AciConversion> WriteAciAsync(RepositoryName repository, ParsedManifest manifest, string name, string tag, string os, string arch,
        JsonElement config, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Path.GetTempPath(), "dockyard-aci-" + Guid.NewGuid().ToString("N"));
        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "rootfs/") { Mode = (UnixFileMode)0b111_101_101 }, cancellationToken);
            var flattener = new AciLayerFlattener(writer);
            var room = await quota.RoomAsync(repository, cancellationToken);
            foreach (var layer in manifest.Layers.Reverse())
            {
                await using var raw = await blobs.OpenReadAsync(layer.Digest, 0, cancellationToken)
                    ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "layer missing from the registry", new { digest = layer.Digest.Value });
                try
                {
                    await using var tar = await Decompression.OpenAsync(raw, cancellationToken);
                    await flattener.AddLayerAsync(room is { } left ? quota.Bound(repository, tar, left - file.Length) : tar, cancellationToken);
                }
                catch (Exception e) when (Decompression.IsCorruptData(e))
                {
                    throw new RegistryException(RegistryErrorCode.Unsupported, $"layer {layer.Digest} cannot be read as a tar: {e.Message}");
                }
            }
            var aciManifest = AciManifestWriter.Write(name, tag, os, arch, config, flattener.Paths);
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "manifest") { DataStream = new MemoryStream(aciManifest), Mode = (UnixFileMode)0b110_100_100 }, cancellationToken);
        }
        file.Position = 0;
        var uploadId = Guid.NewGuid().ToString("N");
        var partId = Guid.NewGuid().ToString("N");
        await blobs.CreateUploadAsync(uploadId, cancellationToken);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
            var size = await blobs.WriteUploadPartAsync(uploadId, partId, new HashingReadStream(file, hash), cancellationToken);
            var digest = Digest.FromHash(Digest.Sha512, hash.GetCurrentHash());
            await blobs.PublishUploadAsync(uploadId, [new UploadPart(partId, size)], digest, cancellationToken);
            await linker.LinkAsync(repository, digest, size, cancellationToken);
            return new AciConversion(repository, manifest.Digest, digest, size);
        }
        catch
        {
            await blobs.DeleteUploadAsync(uploadId, CancellationToken.None);
            throw;
        }
    }

    private async Task<byte[]> ReadBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(digest, 0, cancellationToken)
            ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "image config missing from the registry", new { digest = digest.Value });
        return await AciArchive.ReadSmallAsync(stream, cancellationToken);
    }

    /// <summary>The image config; null when it is no JSON object of text (an artifact's config, say), so nothing to convert.</summary>
    private static JsonDocument? ParseConfig(byte[] bytes)
    {
        try
        {
            var document = StrictJson.Parse(bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static RegistryException Unknown(RepositoryName repository, string tag, string os, string arch) =>
        new(RegistryErrorCode.ManifestUnknown, "no ACI and no image for this version, os and arch", new { repository = repository.Value, version = tag, os, arch });
}
