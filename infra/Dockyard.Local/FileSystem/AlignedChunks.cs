using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// The copy buffers of <see cref="OverlappedFileCopy"/>: <see cref="Size"/> bytes starting at an address aligned for
/// direct I/O (<see cref="DirectWrites.Alignment"/>), in pinned arrays (the address never moves). At most
/// <see cref="MaxRetained"/> free chunks are kept for the next copies; beyond that they are left to the GC.
/// </summary>
internal static class AlignedChunks
{
    public const int Size = 1 << 20;
    internal const int MaxRetained = 16;
    private static readonly ConcurrentQueue<Memory<byte>> Free = new();
    private static int retained;

    public static Memory<byte> Rent()
    {
        if (Free.TryDequeue(out var chunk))
        {
            Interlocked.Decrement(ref retained);
            return chunk;
        }
        var array = GC.AllocateUninitializedArray<byte>(Size + DirectWrites.Alignment, pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        var skip = (int)((DirectWrites.Alignment - (address % DirectWrites.Alignment)) % DirectWrites.Alignment);
        return array.AsMemory(skip, Size);
    }

    public static void Return(Memory<byte> chunk)
    {
        if (Interlocked.Increment(ref retained) <= MaxRetained)
        {
            Free.Enqueue(chunk);
        }
        else
        {
            Interlocked.Decrement(ref retained);
        }
    }
}
