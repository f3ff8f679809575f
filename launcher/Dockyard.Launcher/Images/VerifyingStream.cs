using System.Security.Cryptography;
using Dockyard.Core.Names;

namespace Dockyard.Launcher.Images;

/// <summary>
/// A read-only pass-through that hashes what it reads and, at the end, throws <see cref="InvalidDataException"/> when
/// the content is not <paramref name="expected"/> or not <paramref name="size"/> bytes.
/// </summary>
internal sealed class VerifyingStream(Stream inner, Digest expected, long size) : Stream
{
    private readonly IncrementalHash hash = Digest.CreateHash(expected.Algorithm);
    private long read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Check(buffer.AsSpan(offset), inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = await inner.ReadAsync(buffer, cancellationToken);
        return Check(buffer.Span, count);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Check(ReadOnlySpan<byte> buffer, int count)
    {
        if (count > 0)
        {
            hash.AppendData(buffer[..count]);
            read += count;
            if (read > size)
            {
                throw new InvalidDataException($"blob {expected} is longer than its size {size}");
            }
            return count;
        }
        var actual = Digest.FromHash(expected.Algorithm, hash.GetHashAndReset());
        return read == size && actual == expected ? 0
            : throw new InvalidDataException($"blob {expected} arrived as {actual} ({read} bytes, {size} expected)");
    }
}
