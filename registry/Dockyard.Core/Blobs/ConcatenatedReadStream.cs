namespace Dockyard.Core.Blobs;

/// <summary>
/// Reads several streams one after the other as one, opening each only when the previous one is exhausted (so an
/// upload of many parts holds one open part at a time). Each opened stream is disposed when it ends.
/// </summary>
public sealed class ConcatenatedReadStream(int count, Func<int, CancellationToken, ValueTask<Stream>> open) : Stream
{
    private int next;
    private Stream? current;
    private long position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        while (true)
        {
            if (current is null)
            {
                if (next >= count)
                {
                    return 0;
                }
                current = open(next++, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
            var n = current.Read(buffer);
            if (n > 0)
            {
                position += n;
                return n;
            }
            current.Dispose();
            current = null;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        while (true)
        {
            if (current is null)
            {
                if (next >= count)
                {
                    return 0;
                }
                current = await open(next++, cancellationToken);
            }
            var n = await current.ReadAsync(buffer, cancellationToken);
            if (n > 0)
            {
                position += n;
                return n;
            }
            await current.DisposeAsync();
            current = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            current?.Dispose();
            current = null;
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (current is not null)
        {
            await current.DisposeAsync();
            current = null;
        }
        GC.SuppressFinalize(this);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
