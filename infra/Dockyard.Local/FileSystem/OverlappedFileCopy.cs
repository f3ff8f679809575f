using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Copies a stream into a file from a given offset in 1 MiB writes, reading (and, for uploads, hashing) the next MiB
/// while the previous one is being written. Writing into the page cache is a large share of a push's CPU; overlapping
/// it with the network side lets an upload use a second core instead of doing the two one after the other.
/// </summary>
public static class OverlappedFileCopy
{
    private const int ChunkSize = 1 << 20;

    /// <summary>
    /// Writes <paramref name="source"/>, read to its end, at <paramref name="start"/> and returns the number of bytes
    /// copied. At most one write is in flight and each uses its own offset, so bytes land in order.
    /// </summary>
    public static async Task<long> CopyAsync(Stream source, SafeFileHandle file, long start, CancellationToken cancellationToken)
    {
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
                while (filled < ChunkSize && (n = await source.ReadAsync(filling.AsMemory(filled, ChunkSize - filled), cancellationToken)) > 0)
                {
                    filled += n;
                }
                await pending;
                if (filled == 0)
                {
                    return offset - start;
                }
                (filling, writing) = (writing, filling);
                pending = RandomAccess.WriteAsync(file, writing.AsMemory(0, filled), offset, cancellationToken).AsTask();
                offset += filled;
            }
        }
        finally
        {
            // A write still running must not see its buffer handed to someone else.
            await pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ArrayPool<byte>.Shared.Return(filling);
            ArrayPool<byte>.Shared.Return(writing);
        }
    }
}
