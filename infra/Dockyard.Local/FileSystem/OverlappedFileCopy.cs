using System.Buffers;
using Dockyard.Core.Uploads;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Copies a stream into a file from a given offset in 1 MiB writes: while one chunk is written (and, for an upload,
/// hashed beside the write), the next is received. Receiving, hashing and writing into the page cache are each a
/// large share of a push's CPU; as three stages they spread over two cores instead of running one after the other.
/// The write-out to disk of what was written starts as the copy goes (<see cref="EarlyWriteback"/>), so that the
/// fsync before a blob is published waits for the tail only.
/// </summary>
public static class OverlappedFileCopy
{
    private const int ChunkSize = 1 << 20;

    /// <summary>
    /// Writes <paramref name="source"/>, read to its end, at <paramref name="start"/> and returns the number of bytes
    /// copied. At most one chunk is in flight (written, and hashed when <paramref name="source"/> is a
    /// <see cref="HashingReadStream"/>) while the next is read, so bytes land and are hashed in order; memory is two
    /// chunks whatever the size.
    /// </summary>
    public static async Task<long> CopyAsync(Stream source, SafeFileHandle file, long start, CancellationToken cancellationToken)
    {
        var hashing = source as HashingReadStream;
        var writeback = new EarlyWriteback(file, start);
        var filling = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var writing = ArrayPool<byte>.Shared.Rent(ChunkSize);
        Task pending = Task.CompletedTask;
        var offset = start;
        try
        {
            while (true)
            {
                // Fill a whole chunk first: network reads arrive in small pieces, disk writes want large ones.
                var filled = 0;
                int n;
                while (filled < ChunkSize && (n = await ReadAsync(source, hashing, filling.AsMemory(filled, ChunkSize - filled), cancellationToken)) > 0)
                {
                    filled += n;
                }
                await pending;
                if (filled == 0)
                {
                    return offset - start;
                }
                (filling, writing) = (writing, filling);
                var chunk = writing.AsMemory(0, filled);
                var write = WriteAsync(file, chunk, offset, writeback, cancellationToken);
                pending = hashing is null ? write : Task.WhenAll(write, Task.Run(() => hashing.Observe(chunk.Span), cancellationToken));
                offset += filled;
            }
        }
        finally
        {
            // A write or hash still running must not see its buffer handed to someone else.
            await pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ArrayPool<byte>.Shared.Return(filling);
            ArrayPool<byte>.Shared.Return(writing);
        }
    }

    // An upload's bytes are hashed beside the write of their chunk (CopyAsync), not here between two receives.
    private static ValueTask<int> ReadAsync(Stream source, HashingReadStream? hashing, Memory<byte> buffer, CancellationToken cancellationToken) =>
        hashing is null ? source.ReadAsync(buffer, cancellationToken) : hashing.ReadDeferredAsync(buffer, cancellationToken);

    private static async Task WriteAsync(SafeFileHandle file, ReadOnlyMemory<byte> chunk, long offset, EarlyWriteback writeback, CancellationToken cancellationToken)
    {
        await RandomAccess.WriteAsync(file, chunk, offset, cancellationToken);
        writeback.Written(offset + chunk.Length);
    }
}
