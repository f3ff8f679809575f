using System.Collections.Concurrent;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Volumes;

/// <summary>
/// Writes a snapshot's new chunks into packs: each chunk is copied into the open pack, which is uploaded as one blob
/// (POST, one PUT) once it holds <see cref="TargetSize"/> bytes, up to <see cref="Parallel"/> packs at once while
/// the snapshot reads on. So a volume of small chunks costs one upload per few MiB, not one (with a HEAD) per chunk.
/// Memory: at most <see cref="Parallel"/> packs uploading and one filling, each <see cref="TargetSize"/> plus one
/// maximum chunk. A failed upload fails the snapshot at the next pack; <see cref="CompleteAsync"/> uploads the last
/// pack and waits for them all.
/// </summary>
internal sealed class PackWriter(VolumeRegistry registry, PackTable table, int maxChunk) : IAsyncDisposable
{
    public const int Parallel = 4;
    public const int TargetSize = 4 << 20;
    private readonly SemaphoreSlim slots = new(Parallel, Parallel);
    private readonly List<Task> running = [];
    private readonly ConcurrentBag<byte[]> spare = [];
    private byte[]? open;
    private int length;
    private int number;

    /// <summary>Places a chunk in the open pack and returns where it lies; uploads the pack when it is full.</summary>
    /// <param name="stored">The digest of <paramref name="content"/>, the bytes stored (ciphertext when encrypted).</param>
    /// <param name="plain">An encrypted chunk's plaintext digest; null for a plain chunk.</param>
    public async Task<ChunkRef> AddAsync(Digest stored, ReadOnlyMemory<byte> content, string? plain, CancellationToken cancellationToken)
    {
        if (content.Length > maxChunk)
        {
            throw new ArgumentOutOfRangeException(nameof(content), content.Length, $"a chunk is at most {maxChunk} bytes");
        }
        if (open is null)
        {
            open = spare.TryTake(out var buffer) ? buffer : new byte[TargetSize + maxChunk];
            length = 0;
            number = table.Reserve();
        }
        content.CopyTo(open.AsMemory(length));
        var chunk = new ChunkRef(stored.Value, content.Length, plain, number, length);
        length += content.Length;
        if (length >= TargetSize)
        {
            await SealAsync(cancellationToken);
        }
        return chunk;
    }

    /// <summary>Uploads the last pack and waits for every upload; the first failure is thrown.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (open is not null)
        {
            await SealAsync(cancellationToken);
        }
        await Task.WhenAll(running);
        running.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(running);
        }
        catch (Exception e) when (e is LaunchException or HttpRequestException or OperationCanceledException)
        {
            // Already thrown to the snapshot by AddAsync or CompleteAsync; here only no upload may outlive it.
        }
        slots.Dispose();
    }

    private async Task SealAsync(CancellationToken cancellationToken)
    {
        var (pack, size, slot) = (open!, length, number);
        open = null;
        await slots.WaitAsync(cancellationToken);
        running.Add(Task.Run(async () =>
        {
            try
            {
                var digest = Digest.Compute(pack.AsSpan(0, size));
                await registry.PushBlobAsync(digest, pack.AsMemory(0, size), cancellationToken);
                table.Name(slot, new PackRef(digest.Value, size));
            }
            finally
            {
                spare.Add(pack);
                slots.Release();
            }
        }, cancellationToken));
        if (running.Find(t => t.IsFaulted || t.IsCanceled) is { } failed)
        {
            await failed;
        }
        running.RemoveAll(t => t.IsCompletedSuccessfully);
    }
}
