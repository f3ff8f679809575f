using System.Buffers;

namespace Dockyard.Launcher.Agent;

/// <summary>A checked piece read from the cache into an array of the shared pool, which goes back on dispose.</summary>
internal sealed class RentedPiece(byte[] buffer, int length) : IDisposable
{
    private byte[]? buffer = buffer;

    /// <summary>The piece's bytes; not to be used after dispose.</summary>
    public ReadOnlyMemory<byte> Memory => buffer is { } bytes ? bytes.AsMemory(0, length) : throw new ObjectDisposedException(nameof(RentedPiece));

    public int Length => length;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } bytes)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
