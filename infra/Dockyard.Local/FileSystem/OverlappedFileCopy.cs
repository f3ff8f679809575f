using Dockyard.Core.Uploads;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Copies a stream into a file from a given offset in 1 MiB writes: while one chunk is written (and, for an upload,
/// hashed beside the write), the next is received, so receiving and hashing spread over two cores instead of running
/// one after the other. Whole aligned chunks are written directly to the disk (<see cref="DirectWrites"/>), without a
/// copy into the page cache; the last, partial chunk goes through the page cache.
/// </summary>
public static class OverlappedFileCopy
{
    private const int EInval = 22;

    /// <summary>
    /// Writes <paramref name="source"/>, read to its end, at <paramref name="start"/> and returns the number of bytes
    /// copied. At most one chunk is in flight (written, and hashed when <paramref name="source"/> is a
    /// <see cref="HashingReadStream"/>) while the next is read, so bytes land and are hashed in order; memory is two
    /// chunks whatever the size. The file is left in buffered mode.
    /// </summary>
    public static async Task<long> CopyAsync(Stream source, SafeFileHandle file, long start, CancellationToken cancellationToken)
    {
        var hashing = source as HashingReadStream;
        var mode = new WriteMode(file);
        var filling = AlignedChunks.Rent();
        var writing = AlignedChunks.Rent();
        Task pending = Task.CompletedTask;
        var offset = start;
        try
        {
            while (true)
            {
                // Fill a whole chunk first: network reads arrive in small pieces, disk writes want large ones.
                var filled = 0;
                int n;
                while (filled < AlignedChunks.Size && (n = await ReadAsync(source, hashing, filling[filled..], cancellationToken)) > 0)
                {
                    filled += n;
                }
                await pending;
                if (filled == 0)
                {
                    return offset - start;
                }
                (filling, writing) = (writing, filling);
                var chunk = writing[..filled];
                var write = WriteAsync(file, chunk, offset, mode, cancellationToken);
                pending = hashing is null ? write : Task.WhenAll(write, Task.Run(() => hashing.Observe(chunk.Span), cancellationToken));
                offset += filled;
            }
        }
        finally
        {
            // A write or hash still running must not see its buffer handed to someone else.
            await pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            mode.Use(false);
            AlignedChunks.Return(filling);
            AlignedChunks.Return(writing);
        }
    }

    // An upload's bytes are hashed beside the write of their chunk (CopyAsync), not here between two receives.
    private static ValueTask<int> ReadAsync(Stream source, HashingReadStream? hashing, Memory<byte> buffer, CancellationToken cancellationToken) =>
        hashing is null ? source.ReadAsync(buffer, cancellationToken) : hashing.ReadDeferredAsync(buffer, cancellationToken);

    private static async Task WriteAsync(SafeFileHandle file, ReadOnlyMemory<byte> chunk, long offset, WriteMode mode, CancellationToken cancellationToken)
    {
        var direct = mode.Use(chunk.Length == AlignedChunks.Size && offset % DirectWrites.Alignment == 0);
        try
        {
            await RandomAccess.WriteAsync(file, chunk, offset, cancellationToken);
        }
        catch (IOException e) when (direct && e.HResult == EInval)
        {
            // The file system took the flag but not the write: buffered from here on.
            mode.Refuse();
            await RandomAccess.WriteAsync(file, chunk, offset, cancellationToken);
        }
    }

    /// <summary>Whether the file is in direct mode now; used by one write at a time.</summary>
    private sealed class WriteMode(SafeFileHandle file)
    {
        private bool direct;
        private bool refused;

        /// <summary>Switches to direct mode when <paramref name="wanted"/> and possible, else to buffered; returns the mode now.</summary>
        public bool Use(bool wanted)
        {
            wanted &= !refused;
            if (wanted != direct)
            {
                if (DirectWrites.TrySet(file, wanted))
                {
                    direct = wanted;
                }
                else if (wanted)
                {
                    refused = true;
                }
            }
            return direct;
        }

        public void Refuse()
        {
            refused = true;
            Use(false);
        }
    }
}
