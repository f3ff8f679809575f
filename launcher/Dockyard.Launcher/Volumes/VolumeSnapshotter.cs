using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;

namespace Dockyard.Launcher.Volumes;

/// <summary>What a snapshot did: the version now latest, whether it is new, and what it cost.</summary>
internal sealed record SnapshotResult(VolumeVersion? Version, bool Committed, long UploadedBytes, int UploadedBlobs, long VolumeBytes);

/// <summary>
/// Stores a folder as the next version of a volume: walks it in path order, splits each file into content-defined
/// chunks, uploads in packs only the chunks the basis versions (the latest, and the one the folder was materialised
/// from) do not hold, then the index, then the manifest as <c>vN</c> and <c>latest</c> with the lease's fencing
/// token. A file whose size and modification time match the basis keeps its chunk list unread. Nothing is
/// committed when the index equals the latest version's or the basis'. With recipients (<see cref="VolumeRegistry.Keys"/>) the
/// chunks are encrypted under the volume's chunk key (the latest version's, so unchanged chunks keep their digests;
/// a new one when the volume was plain or new) and the index is sealed; an encrypted volume is never stored in plain.
/// </summary>
internal static class VolumeSnapshotter
{
    public static Task<SnapshotResult> SnapshotAsync(VolumeRegistry registry, string root, HeldLease lease, CancellationToken cancellationToken) =>
        SnapshotAsync(registry, root, lease, null, cancellationToken);

    /// <param name="basis">
    /// The version <paramref name="root"/> was materialised from when that is not the latest (a read-write mount of an
    /// older version, docs/volumes.md): its files are recognised by size and time, and a folder that differs from it is
    /// stored on top of the latest (a restore-and-edit); one that does not is not stored. Null: the latest is the basis.
    /// </param>
    public static async Task<SnapshotResult> SnapshotAsync(VolumeRegistry registry, string root, HeldLease lease, VolumeVersion? basis,
        CancellationToken cancellationToken)
    {
        var parent = await VolumeVersions.ReadAsync(registry, VolumeVersions.Latest, cancellationToken);
        registry.Keys.CheckWritable(parent, registry.Repository.ToString());
        var cipher = registry.Keys.Encrypts ? parent?.Cipher ?? ChunkCipher.Generate() : null;
        // Chunk lists are reused only from versions stored the same way (both plain, or both under this chunk key): a
        // plain version's mean nothing to an encrypted one and the other way round, so then all is read again.
        var latestKin = Kin(parent, cipher);
        var kin = basis is null ? latestKin : Kin(basis, cipher);
        var previous = kin?.Index.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal) ?? [];
        var basisIndexes = new[] { kin, latestKin }.OfType<VolumeVersion>().Select(v => v.Index).Distinct().ToList();
        var profile = ChunkingProfile.For(kin?.Index);
        var chunks = new SnapshotChunks(registry, basisIndexes, cipher, profile);
        var (uploadedBytes, uploadedBlobs) = (registry.UploadedBytes, registry.UploadedBlobs);
        var entries = new List<VolumeEntry>();
        IReadOnlyList<PackRef>? packs;
        await using (chunks)
        {
            foreach (var (path, info) in VolumeTree.Walk(root))
            {
                var entry = VolumeTree.Describe(path, info);
                if (entry.Type == VolumeEntry.File)
                {
                    entry = previous.TryGetValue(path, out var old) && old.Type == VolumeEntry.File && old.Size == entry.Size && old.ModifiedMs == entry.ModifiedMs
                        ? entry with { Chunks = (old.Chunks ?? []).Select(c => chunks.Keep(kin!.Index, c)).ToList() }
                        : entry with { Chunks = await chunks.ReadAsync(info.FullName, cancellationToken) };
                }
                entries.Add(entry);
            }
            await chunks.CompleteAsync(cancellationToken);
            packs = chunks.Packs;
        }
        var index = new VolumeIndex(entries, cipher?.VolumeKey, packs, profile.Name);
        var json = index.ToJson();
        var plainDigest = Digest.Compute(json);
        // Unchanged from the latest, or from the version it was materialised from, is nothing to store: the engine mounts
        // and unmounts a volume at container create too, which must not store an older version again.
        if (new[] { latestKin, kin }.FirstOrDefault(v => v is not null && PlainIndexDigest(v) == plainDigest) is { } same)
        {
            return new SnapshotResult(same, false, 0, 0, same.Index.TotalBytes);
        }
        var descriptor = new Descriptor(VolumeArtifact.IndexMediaType, plainDigest, json.Length, null, [], null);
        if (cipher is not null)
        {
            (json, descriptor) = registry.Keys.SealIndex(descriptor, json);
        }
        if (!await registry.HasBlobAsync(descriptor.Digest, cancellationToken))
        {
            await registry.PushBlobAsync(descriptor.Digest, json, cancellationToken);
        }
        var number = (parent?.Number ?? 0) + 1;
        var manifest = VolumeVersions.Manifest(number, descriptor, index, lease.Holder, DateTimeOffset.UtcNow);
        var digest = await registry.PutManifestAsync(VolumeVersions.Tag(number), manifest, lease.Token, cancellationToken);
        await registry.PutManifestAsync(VolumeVersions.Latest, manifest, lease.Token, cancellationToken);
        var version = new VolumeVersion(number, digest, descriptor.Digest, index, manifest, DateTimeOffset.UtcNow);
        return new SnapshotResult(version, true, registry.UploadedBytes - uploadedBytes, registry.UploadedBlobs - uploadedBlobs, version.Index.TotalBytes);
    }

    private static Digest PlainIndexDigest(VolumeVersion version) => version.Encrypted ? Digest.Compute(version.Index.ToJson()) : version.IndexDigest;

    // The version when its chunks are stored as this snapshot stores them: both plain, or both under the same chunk key.
    private static VolumeVersion? Kin(VolumeVersion? version, ChunkCipher? cipher) =>
        version is not null && (version.Index.ChunkKey, cipher?.VolumeKey) switch
        {
            (null, null) => true,
            ({ } a, { } b) => a.AsSpan().SequenceEqual(b),
            _ => false,
        } ? version : null;
}
