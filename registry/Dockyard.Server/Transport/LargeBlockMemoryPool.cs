using System.Buffers;
using System.Collections.Concurrent;

namespace Dockyard.Server.Transport;

/// <summary>
/// Pinned blocks of <see cref="BlockSize"/> bytes for Kestrel's pipes. Kestrel's own pool hands out 4 KiB blocks, so a
/// socket receive never takes more than 4 KiB: a 1 GiB layer push became ~525,000 recv calls and as many wake-ups of
/// the request thread. With 64 KiB blocks the same push took ~33,000. Idle connections hold no block
/// (Kestrel waits for data before renting one), and at most <see cref="MaxRetained"/> free blocks are kept.
/// </summary>
public sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;
    internal const int MaxRetained = 128;
    private readonly ConcurrentQueue<Block> free = new();
    private int retained;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref retained);
            return block;
        }
        return new Block(this);
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref retained) <= MaxRetained)
        {
            free.Enqueue(block);
        }
        else
        {
            // Past the cap the block is left to the GC (pinned-object heap).
            Interlocked.Decrement(ref retained);
        }
    }

    protected override void Dispose(bool disposing)
    {
        free.Clear();
    }

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public Memory<byte> Memory => array;

        public void Dispose() => pool.Return(this);
    }
}
