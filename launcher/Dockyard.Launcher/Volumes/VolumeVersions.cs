using System.Globalization;
using System.Text.Json.Nodes;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;
using Dockyard.Signing.Encryption;

namespace Dockyard.Launcher.Volumes;

/// <summary>One stored version of a volume: its number, manifest digest and (decrypted) file index.</summary>
/// <param name="IndexDigest">The stored index blob's digest (the ciphertext's when encrypted).</param>
internal sealed record VolumeVersion(int Number, Digest Digest, Digest IndexDigest, VolumeIndex Index, byte[] Manifest, DateTimeOffset? Created)
{
    /// <summary>Whether the version is encrypted: its index sealed, its chunks ciphertext.</summary>
    public bool Encrypted => Index.ChunkKey is not null;

    /// <summary>The cipher of its chunks; null for a plain version.</summary>
    public ChunkCipher? Cipher => Index.ChunkKey is { } key ? new ChunkCipher(key) : null;
}

/// <summary>
/// How versions are named and read: tag <c>vN</c> for version N, <c>latest</c> for the newest. The manifest is an OCI
/// image manifest with artifactType <see cref="VolumeArtifact.ArtifactType"/>, the index as config, the packs (and chunks
/// stored alone before packs) as layers.
/// An encrypted version's config and layer media types end in "+encrypted" and the config carries ocicrypt's annotations.
/// </summary>
internal static class VolumeVersions
{
    public const string Latest = "latest";
    private const string CreatedAnnotation = "org.opencontainers.image.created";
    private const string HostAnnotation = "org.dockyard.volume.host";
    private const int MaxIndexBytes = 256 * 1024 * 1024;

    public static string Tag(int number) => "v" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>A version as a user names it (N, vN, latest, another tag, or a digest), checked before it is put in a URL.</summary>
    /// <exception cref="LaunchException">Usage: neither a tag nor a digest.</exception>
    public static string CheckReference(string reference) => Core.Names.Tag.IsValid(reference) || Digest.TryParse(reference, out _) ? reference
        : throw new LaunchException(LaunchFailure.Usage, $"'{reference}' is not a volume version (N, vN, latest, a tag or sha256:<64 hex>)");

    /// <summary>A version by tag (<c>latest</c>, <c>v3</c>, or a bare number) or digest; null when there is none.</summary>
    /// <exception cref="LaunchException">The manifest is not a volume version.</exception>
    public static async Task<VolumeVersion?> ReadAsync(VolumeRegistry registry, string reference, CancellationToken cancellationToken)
    {
        if (int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            reference = Tag(number);
        }
        CheckReference(reference);
        var remote = await registry.Client.GetManifestAsync(registry.Repository, reference, cancellationToken, missingIsNull: true);
        if (remote is null)
        {
            return null;
        }
        var manifest = remote.Parse();
        if (manifest.ArtifactType != VolumeArtifact.ArtifactType || manifest.Config is null)
        {
            throw new LaunchException(LaunchFailure.Usage, $"{registry.Repository}:{reference} is not a volume version ({manifest.ArtifactType ?? manifest.MediaType})");
        }
        var stored = await registry.Client.ReadBlobAsync(registry.Repository, manifest.Config, MaxIndexBytes, cancellationToken);
        var sealedIndex = LayerEncryptor.IsEncrypted(manifest.Config);
        var index = VolumeIndex.Parse(sealedIndex ? registry.Keys.OpenIndex(manifest.Config, stored, $"volume {registry.Repository}:{reference}") : stored);
        if (sealedIndex != (index.ChunkKey is not null))
        {
            throw new LaunchException(LaunchFailure.Registry, $"{registry.Repository}:{reference} has {(sealedIndex ? "a sealed index with no chunk key" : "a chunk key in a plain index")}");
        }
        var annotations = manifest.Annotations ?? new Dictionary<string, string>();
        var version = int.TryParse(annotations.GetValueOrDefault(VolumeArtifact.VersionAnnotation), CultureInfo.InvariantCulture, out var n) ? n : 0;
        var created = DateTimeOffset.TryParse(annotations.GetValueOrDefault(CreatedAnnotation), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at : (DateTimeOffset?)null;
        return new VolumeVersion(version, remote.Digest, manifest.Config.Digest, index, remote.Bytes, created);
    }

    /// <summary>The version numbers the repository has tags for, oldest first.</summary>
    public static async Task<IReadOnlyList<int>> NumbersAsync(VolumeRegistry registry, CancellationToken cancellationToken) =>
        (await registry.TagsAsync(cancellationToken))
            .Select(t => t.Length > 1 && t[0] == 'v' && int.TryParse(t.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .Where(n => n > 0).Order().ToList();

    /// <summary>The manifest of an older version as version <paramref name="number"/>: same index and chunks, new number and time.</summary>
    public static byte[] Renumber(byte[] manifest, int number, string holder, DateTimeOffset created)
    {
        var node = JsonNode.Parse(manifest)!.AsObject();
        if (node["annotations"] is not JsonObject annotations)
        {
            node["annotations"] = annotations = [];
        }
        annotations[VolumeArtifact.VersionAnnotation] = number.ToString(CultureInfo.InvariantCulture);
        annotations[CreatedAnnotation] = created.ToString("O", CultureInfo.InvariantCulture);
        annotations[HostAnnotation] = holder;
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>
    /// The manifest of version <paramref name="number"/> over an uploaded index: its packs, then the chunks stored as blobs
    /// of their own (by versions made before packs), each once; a sealed index (<see cref="VolumeKeys.SealIndex"/>)
    /// makes their media types the encrypted ones.
    /// </summary>
    public static byte[] Manifest(int number, Descriptor index, VolumeIndex content, string holder, DateTimeOffset created)
    {
        var suffix = LayerEncryptor.IsEncrypted(index) ? LayerEncryptor.EncryptedSuffix : "";
        var layers = new JsonArray();
        foreach (var pack in (content.Packs ?? []).DistinctBy(p => p.Digest))
        {
            layers.Add(new JsonObject { ["mediaType"] = VolumeArtifact.PackMediaType + suffix, ["digest"] = pack.Digest, ["size"] = pack.Size });
        }
        foreach (var chunk in content.Entries.SelectMany(e => e.Chunks ?? []).Where(c => c.Pack is null).DistinctBy(c => c.Digest))
        {
            layers.Add(new JsonObject { ["mediaType"] = VolumeArtifact.ChunkMediaType + suffix, ["digest"] = chunk.Digest, ["size"] = chunk.Size });
        }
        var config = new JsonObject { ["mediaType"] = index.MediaType, ["digest"] = index.Digest.Value, ["size"] = index.Size };
        if (index.Annotations is { Count: > 0 } sealing)
        {
            config["annotations"] = new JsonObject(sealing.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(a.Value))));
        }
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = VolumeArtifact.ArtifactType,
            ["config"] = config,
            ["layers"] = layers,
            ["annotations"] = new JsonObject
            {
                [VolumeArtifact.VersionAnnotation] = number.ToString(CultureInfo.InvariantCulture),
                [CreatedAnnotation] = created.ToString("O", CultureInfo.InvariantCulture),
                [HostAnnotation] = holder,
            },
        };
        return System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
    }
}
