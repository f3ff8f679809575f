using System.Security.Cryptography;

namespace Dockyard.Core.Uploads;

/// <summary>
/// A read-only pass-through that feeds every byte read into an incremental hash and counts it, so that a blob
/// is digested while it streams to the store instead of being read twice.
/// </summary>
/// <remarks>
/// A store that copies in large chunks may take the hashing over (<see cref="ReadDeferredAsync"/> then
/// <see cref="Observe"/>), so that the hash of one chunk runs on another core while the next one is received.
/// </remarks>
public sealed class HashingReadStream(Stream inner, IncrementalHash hash) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Observe(buffer[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        Observe(buffer.Span[..n]);
        return n;
    }

    /// <summary>
    /// Reads like <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> but neither hashes nor counts: the caller
    /// takes that over and must pass exactly these bytes, in the order read, to <see cref="Observe"/> (one call at a
    /// time, from any thread) before it asks for the hash.
    /// </summary>
    public ValueTask<int> ReadDeferredAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    /// <summary>Hashes and counts bytes read with <see cref="ReadDeferredAsync"/>.</summary>
    public void Observe(ReadOnlySpan<byte> data)
    {
        hash.AppendData(data);
        BytesRead += data.Length;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
