using Dockyard.Core.Names;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// The chunks of one snapshot: files cut by <see cref="ContentChunker"/>, each chunk handed to <see cref="ChunkUploads"/>
/// (which skips what the registry holds). With a cipher each chunk is encrypted first, unless a chunk with the same
/// plaintext digest is already known (the previous version's or earlier in this snapshot): its ciphertext is the same
/// (<see cref="ChunkCipher"/> is convergent), so its reference is reused without encrypting or hashing it again.
/// </summary>
internal sealed class SnapshotChunks : IAsyncDisposable
{
    private readonly ChunkCipher? cipher;
    private readonly ChunkUploads uploads;
    private readonly Dictionary<string, ChunkRef> encrypted = new(StringComparer.Ordinal);

    /// <param name="known">The previous version's chunks (stored the same way: both plain or both under <paramref name="cipher"/>).</param>
    public SnapshotChunks(VolumeRegistry registry, IEnumerable<ChunkRef> known, ChunkCipher? cipher)
    {
        this.cipher = cipher;
        var list = known.ToList();
        uploads = new ChunkUploads(registry, list.Select(c => c.Digest).ToHashSet(StringComparer.Ordinal));
        foreach (var chunk in list.Where(c => c.Plain is not null))
        {
            encrypted.TryAdd(chunk.Plain!, chunk);
        }
    }

    /// <summary>Cuts <paramref name="file"/> into chunks, queues their uploads and returns their references in order.</summary>
    public async Task<List<ChunkRef>> ReadAsync(string file, CancellationToken cancellationToken)
    {
        var chunks = new List<ChunkRef>();
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var chunker = new ContentChunker(stream);
        while (await chunker.NextAsync(cancellationToken) is { Length: > 0 } chunk)
        {
            var digest = Digest.Compute(chunk.Span);
            if (cipher is null)
            {
                await uploads.QueueAsync(digest, chunk, cancellationToken);
                chunks.Add(new ChunkRef(digest.Value, chunk.Length));
            }
            else
            {
                chunks.Add(encrypted.TryGetValue(digest.Value, out var known) ? known : await EncryptAsync(digest, chunk, cancellationToken));
            }
        }
        return chunks;
    }

    /// <summary>Waits for every upload; the first failure is thrown.</summary>
    public Task CompleteAsync() => uploads.CompleteAsync();

    public ValueTask DisposeAsync() => uploads.DisposeAsync();

    private async Task<ChunkRef> EncryptAsync(Digest plain, ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        var ciphertext = chunk.ToArray();
        cipher!.Transform(plain, ciphertext);
        var stored = Digest.Compute(ciphertext);
        await uploads.QueueAsync(stored, ciphertext, cancellationToken);
        return encrypted[plain.Value] = new ChunkRef(stored.Value, ciphertext.Length, plain.Value);
    }
}
