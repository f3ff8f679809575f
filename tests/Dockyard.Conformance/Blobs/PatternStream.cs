namespace Dockyard.Conformance.Blobs;

/// <summary>
/// A non-seekable stream of <c>length</c> deterministic pseudo-random bytes that hands out at most
/// <c>maxRead</c> bytes per read, the way a network body arrives. Any byte can be recomputed from its position,
/// so large blobs are checked without holding them in memory; <c>start</c> continues the pattern from a position.
/// </summary>
public sealed class PatternStream(long length, int seed, int maxRead = 8191, long start = 0) : Stream
{
    private long position;

    public static byte ByteAt(long position, int seed) =>
        (byte)((((ulong)position * 2654435761UL) >> 11) ^ (ulong)seed ^ ((ulong)position >> 20));

    public static byte[] Bytes(long offset, int count, int seed)
    {
        var result = new byte[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = ByteAt(offset + i, seed);
        }
        return result;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(Math.Min(buffer.Length, maxRead), length - position);
        for (var i = 0; i < n; i++)
        {
            buffer[i] = ByteAt(start + position + i, seed);
        }
        position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
