using Dockyard.Core.Uploads;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Copies a stream into a file from a given offset in 1 MiB writes: while chunks are written (and, for an upload,
/// hashed beside the writes), the next is received, so receiving, hashing and writing spread over the cores instead of
/// running one after the other. Up to <see cref="Depth"/> chunks are in use at once, so a chunk's write need not wait
/// for the previous one: the disk sees more than one write at a time. Whole aligned chunks are written directly to the
/// disk (<see cref="DirectWrites"/>), without a copy into the page cache; the last, partial chunk goes through the
/// page cache.
/// </summary>
public static class OverlappedFileCopy
{
    /// <summary>How many chunks one copy uses at most: one being received, the others written or hashed.</summary>
    internal const int Depth = 3;

    private const int EInval = 22;

    /// <summary>
    /// Writes <paramref name="source"/>, read to its end, at <paramref name="start"/> and returns the number of bytes
    /// copied. Chunks are hashed (when <paramref name="source"/> is a <see cref="HashingReadStream"/>) one after the
    /// other, in the order read, while their writes may overlap; memory is <see cref="Depth"/> chunks whatever the size.
    /// The file is left in buffered mode.
    /// </summary>
    public static async Task<long> CopyAsync(Stream source, SafeFileHandle file, long start, CancellationToken cancellationToken)
    {
        var hashing = source as HashingReadStream;
        var mode = new WriteMode(file);
        var inFlight = new Queue<(Memory<byte> Chunk, Task Done)>();
        var hashed = Task.CompletedTask; // every chunk handed over so far hashed, in order
        var filling = AlignedChunks.Rent();
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
                if (filled == 0)
                {
                    await DrainAsync(inFlight);
                    return offset - start;
                }
                var chunk = filling[..filled];
                var direct = chunk.Length == AlignedChunks.Size && offset % DirectWrites.Alignment == 0;
                if (mode.WouldChange(direct))
                {
                    // The descriptor's flag is shared by every write on it: switch only when none is in flight.
                    await DrainAsync(inFlight);
                }
                var write = WriteAsync(file, chunk, offset, direct, mode, cancellationToken);
                if (hashing is not null)
                {
                    hashed = HashAfterAsync(hashed, hashing, chunk);
                }
                inFlight.Enqueue((filling, hashing is null ? write : Task.WhenAll(write, hashed)));
                filling = default; // the queue owns it now
                offset += filled;
                if (inFlight.Count < Depth)
                {
                    filling = AlignedChunks.Rent();
                }
                else
                {
                    var oldest = inFlight.Peek();
                    await oldest.Done;
                    inFlight.Dequeue();
                    filling = oldest.Chunk;
                }
            }
        }
        finally
        {
            // A write or hash still running must not see its buffer handed to someone else.
            while (inFlight.Count > 0)
            {
                var (chunk, done) = inFlight.Dequeue();
                await done.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                AlignedChunks.Return(chunk);
            }
            mode.Use(false);
            if (!filling.IsEmpty)
            {
                AlignedChunks.Return(filling);
            }
        }
    }

    // Waits for every chunk in flight, oldest first, and hands their buffers back; the first failure is thrown.
    private static async Task DrainAsync(Queue<(Memory<byte> Chunk, Task Done)> inFlight)
    {
        while (inFlight.TryPeek(out var oldest))
        {
            await oldest.Done;
            inFlight.Dequeue();
            AlignedChunks.Return(oldest.Chunk);
        }
    }

    // An upload's bytes are hashed beside the write of their chunk (CopyAsync), not here between two receives.
    private static ValueTask<int> ReadAsync(Stream source, HashingReadStream? hashing, Memory<byte> buffer, CancellationToken cancellationToken) =>
        hashing is null ? source.ReadAsync(buffer, cancellationToken) : hashing.ReadDeferredAsync(buffer, cancellationToken);

    // On a pool thread, after the chunks before it: the hash sees the bytes in order.
    private static Task HashAfterAsync(Task previous, HashingReadStream hashing, ReadOnlyMemory<byte> chunk) => Task.Run(async () =>
    {
        await previous;
        hashing.Observe(chunk.Span);
    });

    private static async Task WriteAsync(SafeFileHandle file, ReadOnlyMemory<byte> chunk, long offset, bool wanted, WriteMode mode, CancellationToken cancellationToken)
    {
        var direct = mode.Use(wanted);
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

    /// <summary>Whether the file is in direct mode now; shared by the writes in flight, which all want the same mode.</summary>
    private sealed class WriteMode(SafeFileHandle file)
    {
        private readonly Lock gate = new();
        private bool direct;
        private bool refused;

        /// <summary>Whether <see cref="Use"/> with <paramref name="wanted"/> would switch the mode.</summary>
        public bool WouldChange(bool wanted)
        {
            lock (gate)
            {
                return (wanted && !refused) != direct;
            }
        }

        /// <summary>Switches to direct mode when <paramref name="wanted"/> and possible, else to buffered; returns the mode now.</summary>
        public bool Use(bool wanted)
        {
            lock (gate)
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
        }

        public void Refuse()
        {
            lock (gate)
            {
                refused = true;
            }
            Use(false);
        }
    }
}
