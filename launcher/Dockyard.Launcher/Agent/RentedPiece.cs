using System.Buffers;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// A checked piece from the cache: read into an array of the shared pool, which goes back on dispose, or (not
/// <paramref name="pooled"/>) the array the cache keeps in memory, which is only let go.
/// </summary>
internal sealed class RentedPiece(byte[] buffer, int length, bool pooled = true) : IDisposable
{
    private byte[]? buffer = buffer;

    /// <summary>The piece's bytes; not to be used after dispose.</summary>
    public ReadOnlyMemory<byte> Memory => buffer is { } bytes ? bytes.AsMemory(0, length) : throw new ObjectDisposedException(nameof(RentedPiece));

    public int Length => length;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } bytes && pooled)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
