namespace Dockyard.Core.Appc;

/// <summary>
/// Reads <paramref name="prefix"/> (bytes already taken from <paramref name="rest"/> to sniff a format), then the rest;
/// leaves <paramref name="rest"/> open. <see cref="Position"/> reads as the bytes read so far (SharpCompress's xz
/// decoder aligns blocks by it); it cannot be set.
/// </summary>
internal sealed class PrefixedReadStream(byte[] prefix, Stream rest) : Stream
{
    private int offset;
    private long position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (offset < prefix.Length)
        {
            var n = Math.Min(buffer.Length, prefix.Length - offset);
            prefix.AsSpan(offset, n).CopyTo(buffer);
            offset += n;
            position += n;
            return n;
        }
        var read = rest.Read(buffer);
        position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (offset < prefix.Length)
        {
            return Read(buffer.Span);
        }
        var read = await rest.ReadAsync(buffer, cancellationToken);
        position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
