using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Volumes;

namespace Dockyard.Launcher.Volumes;

/// <summary>What a snapshot did: the version now latest, whether it is new, and what it cost.</summary>
internal sealed record SnapshotResult(VolumeVersion? Version, bool Committed, long UploadedBytes, int UploadedBlobs, long VolumeBytes);

/// <summary>
/// Stores a folder as the next version of a volume: walks it in path order, splits each file into content-defined
/// chunks, uploads only the chunks the registry lacks (those of the previous version are known to be there; others
/// are asked with HEAD), then the index, then the manifest as <c>vN</c> and <c>latest</c> with the lease's fencing
/// token. A file whose size and modification time match the previous version keeps its chunk list unread. Nothing is
/// committed when the index equals the previous version's.
/// </summary>
internal static class VolumeSnapshotter
{
    public static async Task<SnapshotResult> SnapshotAsync(VolumeRegistry registry, string root, HeldLease lease, CancellationToken cancellationToken)
    {
        var parent = await VolumeVersions.ReadAsync(registry, VolumeVersions.Latest, cancellationToken);
        var previous = parent?.Index.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal) ?? [];
        var present = new HashSet<string>(parent?.Index.Entries.SelectMany(e => e.Chunks ?? []).Select(c => c.Digest) ?? [], StringComparer.Ordinal);
        var (uploadedBytes, uploadedBlobs) = (registry.UploadedBytes, registry.UploadedBlobs);
        var entries = new List<VolumeEntry>();
        await using var uploads = new ChunkUploads(registry, present);
        foreach (var (path, info) in VolumeTree.Walk(root))
        {
            var entry = VolumeTree.Describe(path, info);
            if (entry.Type == VolumeEntry.File)
            {
                entry = previous.TryGetValue(path, out var old) && old.Type == VolumeEntry.File && old.Size == entry.Size && old.ModifiedMs == entry.ModifiedMs
                    ? entry with { Chunks = old.Chunks }
                    : entry with { Chunks = await ChunkAsync(uploads, info.FullName, cancellationToken) };
            }
            entries.Add(entry);
        }
        await uploads.CompleteAsync();
        var index = new VolumeIndex(entries).ToJson();
        var indexDigest = Digest.Compute(index);
        if (parent is not null && parent.IndexDigest == indexDigest)
        {
            return new SnapshotResult(parent, false, 0, 0, parent.Index.TotalBytes);
        }
        await EnsureBlobAsync(registry, indexDigest, index, present, cancellationToken);
        var number = (parent?.Number ?? 0) + 1;
        var descriptor = new Descriptor(VolumeArtifact.IndexMediaType, indexDigest, index.Length, null, [], null);
        var manifest = VolumeVersions.Manifest(number, descriptor, entries.SelectMany(e => e.Chunks ?? []), lease.Holder, DateTimeOffset.UtcNow);
        var digest = await registry.PutManifestAsync(VolumeVersions.Tag(number), manifest, lease.Token, cancellationToken);
        await registry.PutManifestAsync(VolumeVersions.Latest, manifest, lease.Token, cancellationToken);
        var version = new VolumeVersion(number, digest, indexDigest, new VolumeIndex(entries), manifest, DateTimeOffset.UtcNow);
        return new SnapshotResult(version, true, registry.UploadedBytes - uploadedBytes, registry.UploadedBlobs - uploadedBlobs, version.Index.TotalBytes);
    }

    private static async Task<List<ChunkRef>> ChunkAsync(ChunkUploads uploads, string file, CancellationToken cancellationToken)
    {
        var chunks = new List<ChunkRef>();
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var chunker = new ContentChunker(stream);
        while (await chunker.NextAsync(cancellationToken) is { Length: > 0 } chunk)
        {
            var digest = Digest.Compute(chunk.Span);
            await uploads.QueueAsync(digest, chunk, cancellationToken);
            chunks.Add(new ChunkRef(digest.Value, chunk.Length));
        }
        return chunks;
    }

    private static async Task EnsureBlobAsync(VolumeRegistry registry, Digest digest, ReadOnlyMemory<byte> content, HashSet<string> present,
        CancellationToken cancellationToken)
    {
        if (present.Contains(digest.Value))
        {
            return;
        }
        if (!await registry.HasBlobAsync(digest, cancellationToken))
        {
            await registry.PushBlobAsync(digest, content, cancellationToken);
        }
        present.Add(digest.Value);
    }
}
