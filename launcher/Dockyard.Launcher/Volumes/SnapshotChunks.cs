using Dockyard.Core.Names;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// The chunks of one snapshot: files cut by <see cref="ContentChunker"/> with the volume's <see cref="ChunkingProfile"/>;
/// a chunk the basis versions hold (or one placed earlier in this snapshot) is kept where it lies, any other goes into
/// a new pack (<see cref="PackWriter"/>). Chunks are recognised by their plaintext digest: with a cipher a new chunk is
/// encrypted first, and a known one is neither encrypted nor hashed again (<see cref="ChunkCipher"/> is convergent,
/// so its ciphertext would be the same). The references returned are numbered for the new version's pack list.
/// </summary>
internal sealed class SnapshotChunks : IAsyncDisposable
{
    private readonly ChunkCipher? cipher;
    private readonly ChunkingProfile profile;
    private readonly PackTable table = new();
    private readonly PackWriter packs;
    private readonly Dictionary<string, (VolumeIndex From, ChunkRef Chunk)> known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChunkRef> placed = new(StringComparer.Ordinal);

    /// <param name="basis">The indexes of the versions to keep chunks of, stored the same way (both plain or both under <paramref name="cipher"/>).</param>
    public SnapshotChunks(VolumeRegistry registry, IEnumerable<VolumeIndex> basis, ChunkCipher? cipher, ChunkingProfile profile)
    {
        this.cipher = cipher;
        this.profile = profile;
        packs = new PackWriter(registry, table, profile.Max);
        foreach (var index in basis)
        {
            foreach (var chunk in index.Entries.SelectMany(e => e.Chunks ?? []))
            {
                known.TryAdd(chunk.Plain ?? chunk.Digest, (index, chunk));
            }
        }
    }

    /// <summary>A chunk of an unchanged file of <paramref name="from"/>, as the new version lists it.</summary>
    public ChunkRef Keep(VolumeIndex from, ChunkRef chunk) => table.Adopt(from, chunk);

    /// <summary>Cuts <paramref name="file"/> into chunks, packs the new ones and returns their references in order.</summary>
    public async Task<List<ChunkRef>> ReadAsync(string file, CancellationToken cancellationToken)
    {
        var chunks = new List<ChunkRef>();
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var chunker = new ContentChunker(stream, profile);
        while (await chunker.NextAsync(cancellationToken) is { Length: > 0 } chunk)
        {
            var digest = Digest.Compute(chunk.Span);
            chunks.Add(Find(digest.Value) ?? (placed[digest.Value] = await StoreAsync(digest, chunk, cancellationToken)));
        }
        return chunks;
    }

    /// <summary>Uploads the last pack and waits for every upload; the first failure is thrown.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken) => packs.CompleteAsync(cancellationToken);

    /// <summary>The new version's pack list, once <see cref="CompleteAsync"/> returned; null when no chunk is in a pack.</summary>
    public IReadOnlyList<PackRef>? Packs => table.ToList();

    public ValueTask DisposeAsync() => packs.DisposeAsync();

    private ChunkRef? Find(string plain)
    {
        if (placed.TryGetValue(plain, out var chunk))
        {
            return chunk;
        }
        return known.TryGetValue(plain, out var old) ? placed[plain] = table.Adopt(old.From, old.Chunk) : null;
    }

    private async Task<ChunkRef> StoreAsync(Digest plain, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (cipher is null)
        {
            return await packs.AddAsync(plain, chunk, null, cancellationToken);
        }
        var ciphertext = chunk.ToArray();
        cipher.Transform(plain, ciphertext);
        return await packs.AddAsync(Digest.Compute(ciphertext), ciphertext, plain.Value, cancellationToken);
    }
}
