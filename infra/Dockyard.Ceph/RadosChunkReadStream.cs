using System.Buffers;
using Dockyard.Ceph.Native;

namespace Dockyard.Ceph;

/// <summary>
/// Reads a sequence of chunk objects as one stream from a start offset, one chunk at a time: each chunk (at most the
/// store's chunk size) is read whole into a pooled buffer on the thread pool, then served from memory. A chunk that
/// is shorter than its index says (deleted or damaged underneath) is an <see cref="InvalidDataException"/>; a missing
/// chunk of a staged upload means the upload is gone (removed while it was read): <see cref="KeyNotFoundException"/>.
/// </summary>
internal sealed class RadosChunkReadStream : Stream
{
    private readonly RadosPool pool;
    private readonly IReadOnlyList<BlobChunk> chunks;
    private readonly int bufferSize;
    private readonly string? uploadId;
    private byte[]? buffer;
    private int next;
    private long nextOffset;
    private int start;
    private int end;
    private long position;

    /// <param name="uploadId">The upload whose staged parts the chunks are; null for a published blob.</param>
    public RadosChunkReadStream(RadosPool pool, IReadOnlyList<BlobChunk> chunks, long offset, string? uploadId = null)
    {
        this.pool = pool;
        this.chunks = chunks;
        this.uploadId = uploadId;
        bufferSize = (int)Math.Max(1, chunks.Count == 0 ? 1 : chunks.Max(c => c.Size));
        // Skip whole chunks before the offset; the rest of the offset is skipped inside the first chunk read.
        while (next < chunks.Count && offset >= chunks[next].Size)
        {
            offset -= chunks[next].Size;
            position += chunks[next].Size;
            next++;
        }
        nextOffset = next < chunks.Count ? offset : 0;
        position += nextOffset;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        if (start == end && !Fill())
        {
            return 0;
        }
        return Serve(destination);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }
        if (start == end && !await Task.Run(Fill, cancellationToken))
        {
            return 0;
        }
        return Serve(destination.Span);
    }

    private int Serve(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, end - start);
        buffer.AsSpan(start, n).CopyTo(destination);
        start += n;
        position += n;
        return n;
    }

    /// <summary>Loads the next non-empty chunk (from <see cref="nextOffset"/>); false at the end.</summary>
    private bool Fill()
    {
        while (next < chunks.Count)
        {
            var chunk = chunks[next++];
            var wanted = (int)(chunk.Size - nextOffset);
            var from = nextOffset;
            nextOffset = 0;
            if (wanted <= 0)
            {
                continue;
            }
            buffer ??= ArrayPool<byte>.Shared.Rent(bufferSize);
            int read;
            try
            {
                read = pool.Read(chunk.Object, buffer.AsSpan(0, wanted), from);
            }
            catch (RadosObjectNotFoundException e) when (uploadId is not null)
            {
                throw new KeyNotFoundException($"upload {uploadId} lost its chunk {chunk.Object}", e);
            }
            if (read != wanted)
            {
                throw new InvalidDataException($"rados: chunk {chunk.Object} holds {from + read} bytes, its index says {chunk.Size}");
            }
            start = 0;
            end = wanted;
            return true;
        }
        return false;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
        base.Dispose(disposing);
    }
}
