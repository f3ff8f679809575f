using System.Buffers;
using System.Globalization;
using System.Text;
using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Ceph;

/// <summary>
/// Blobs in a Ceph RADOS pool, striped into chunk objects because RADOS caps an object at 128 MiB and a write at 90 MiB:
/// <code>
/// upload.&lt;upload&gt;                    marker: the upload exists; lists its part ids, one per line (appended)
/// upload.&lt;upload&gt;.&lt;part&gt;.&lt;n&gt;       part chunk n: chunksize bytes each but the last, written in pieces of at most 1 MiB
/// upload.&lt;upload&gt;.&lt;part&gt;.idx         part index {size, chunkSize, chunks}, written after its chunks
/// blob.&lt;algorithm&gt;.&lt;hex&gt;.idx         blob index {size, chunks: [{object, size}]}, written last: the commit point;
///                                   its mtime is the publish time (a re-publish sets its xattr dockyard.published)
/// </code>
/// Publishing copies nothing: the blob index lists the committed parts' chunk objects, which from then on belong to
/// the blob. Order makes it crash-safe: (1) the committed part ids are struck from the marker, so no upload clean-up
/// can remove those chunks; (2) the blob index is written — the blob is now visible and complete; (3) the parts' own
/// indexes, the uncommitted parts and the marker are removed. A crash before (2) leaves no blob and at worst orphan
/// objects; a crash after it leaves the whole blob. Deleting a blob removes its index first, then its chunks.
/// Reads stream one chunk at a time; every librados call runs on the thread pool.
/// </summary>
public sealed class RadosBlobStore : IBlobStore, IDisposable
{
    private const string PublishedAttribute = "dockyard.published";

    /// <summary>The most one librados write is given: a chunk larger than this is written in pieces.</summary>
    internal const int WriteBytes = 1 << 20;

    private readonly RadosPool pool;
    private readonly int chunkSize;
    private readonly IDisposable? owned;

    /// <param name="pool">Where the objects go.</param>
    /// <param name="chunkSize">Bytes per chunk object, 1 … 90 MiB.</param>
    /// <param name="owned">Disposed with the store (the pool and its cluster); null when the caller keeps them.</param>
    public RadosBlobStore(RadosPool pool, int chunkSize, IDisposable? owned = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, RadosPool.MaxWriteBytes);
        this.pool = pool;
        this.chunkSize = chunkSize;
        this.owned = owned;
    }

    public async Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken) =>
        (await ReadBlobIndexAsync(digest, cancellationToken))?.Size;

    public async Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken) =>
        await ReadBlobIndexAsync(digest, cancellationToken) is { } index ? new RadosChunkReadStream(pool, index.Chunks, offset) : null;

    public Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(string? after, int limit, CancellationToken cancellationToken) =>
        RunAsync(() => RadosBlobListing.List(pool, after, limit, cancellationToken), cancellationToken);

    public async Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        if (await ReadBlobIndexAsync(digest, cancellationToken) is not { } index)
        {
            return false;
        }
        // Index first: a crash half-way leaves orphan chunks, never a visible blob with missing chunks.
        await RunAsync(() => pool.Remove(BlobIndexName(digest)), cancellationToken);
        foreach (var chunk in index.Chunks)
        {
            await RunAsync(() => pool.Remove(chunk.Object), CancellationToken.None);
        }
        return true;
    }

    public Task CreateUploadAsync(string uploadId, CancellationToken cancellationToken)
    {
        var marker = MarkerName(uploadId);
        return RunAsync(() => pool.WriteFull(marker, []), cancellationToken);
    }

    public async Task<long> WriteUploadPartAsync(string uploadId, string partId, Stream data, CancellationToken cancellationToken)
    {
        var marker = MarkerName(uploadId);
        var partIndex = PartIndexName(uploadId, partId);
        if (await RunAsync(() => pool.Stat(marker), cancellationToken) is null)
        {
            throw new KeyNotFoundException($"upload {uploadId} does not exist");
        }
        if (await RunAsync(() => pool.Stat(partIndex), cancellationToken) is not null)
        {
            throw new IOException($"part {partId} of upload {uploadId} already exists");
        }
        // Listed before any chunk is written, so deleting the upload finds this part even if the writer dies.
        await RunAsync(() => pool.Append(marker, Encoding.ASCII.GetBytes(partId + "\n")), cancellationToken);
        // A chunk is written in pieces of at most WriteBytes at their offsets: librados copies what it is given, so
        // the pooled buffer and librados' copy are each one piece, not one chunk (docs/benchmarks.md, issue 14).
        var pieceSize = Math.Min(chunkSize, WriteBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(pieceSize);
        // The pieces go through one thread, so that librados' copies of them reuse one glibc arena (see the writer).
        using var writer = new RadosChunkWriter();
        try
        {
            long size = 0;
            var chunks = 0;
            var inChunk = 0;
            while (true)
            {
                var wanted = Math.Min(pieceSize, chunkSize - inChunk);
                var filled = 0;
                int n;
                while (filled < wanted && (n = await data.ReadAsync(buffer.AsMemory(filled, wanted - filled), cancellationToken)) > 0)
                {
                    filled += n;
                }
                if (filled > 0)
                {
                    var name = PartChunkName(uploadId, partId, chunks);
                    var offset = inChunk;
                    var length = filled;
                    // The first piece creates (or replaces) the chunk object; the others land at their offsets in it.
                    await writer.RunAsync(() => WritePiece(name, buffer.AsSpan(0, length), offset), cancellationToken);
                    inChunk += filled;
                    size += filled;
                }
                if (inChunk == chunkSize || (filled < wanted && inChunk > 0))
                {
                    chunks++;
                    inChunk = 0;
                }
                if (filled < wanted)
                {
                    break;
                }
            }
            var index = RadosJson.Serialize(new PartIndex(size, chunkSize, chunks));
            await RunAsync(() => pool.WriteFull(partIndex, index), cancellationToken);
            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<Stream> OpenUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken)
    {
        var chunks = await CommittedChunksAsync(uploadId, parts, cancellationToken);
        return new RadosChunkReadStream(pool, chunks, 0, uploadId);
    }

    public async Task PublishUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, Digest digest, CancellationToken cancellationToken)
    {
        var blobIndex = BlobIndexName(digest);
        // Publishing content that exists moves the index's mtime (the blob's publish time) to now; never recreates it.
        var now = Encoding.ASCII.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        if (await RunAsync(() => pool.SetAttributeIfExists(blobIndex, PublishedAttribute, now), cancellationToken))
        {
            await DeleteUploadAsync(uploadId, cancellationToken);
            return;
        }
        var chunks = await CommittedChunksAsync(uploadId, parts, cancellationToken);
        var marker = MarkerName(uploadId);
        var committed = parts.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var others = (await ReadPartIdsAsync(uploadId, cancellationToken) ?? []).Where(id => !committed.Contains(id)).Distinct().ToList();
        // (1) From here no clean-up of the upload touches the committed chunks.
        var remaining = Encoding.ASCII.GetBytes(string.Concat(others.Select(id => id + "\n")));
        await RunAsync(() => pool.WriteFull(marker, remaining), cancellationToken);
        // (2) The commit point.
        var index = RadosJson.Serialize(new BlobIndex(parts.Sum(p => p.Size), chunks));
        await RunAsync(() => pool.WriteFull(blobIndex, index), cancellationToken);
        // (3) Tidy up; failures here leave orphans, never a damaged blob.
        foreach (var part in committed)
        {
            await RunAsync(() => pool.Remove(PartIndexName(uploadId, part)), CancellationToken.None);
        }
        await DeleteUploadAsync(uploadId, CancellationToken.None);
    }

    public Task DeleteUploadPartAsync(string uploadId, string partId, CancellationToken cancellationToken)
    {
        CheckId(uploadId, nameof(uploadId));
        CheckId(partId, nameof(partId));
        return RunAsync(() => DeletePart(uploadId, partId), cancellationToken);
    }

    public async Task DeleteUploadAsync(string uploadId, CancellationToken cancellationToken)
    {
        if (await ReadPartIdsAsync(uploadId, cancellationToken) is not { } partIds)
        {
            return;
        }
        foreach (var partId in partIds.Distinct())
        {
            await RunAsync(() => DeletePart(uploadId, partId), cancellationToken);
        }
        await RunAsync(() => pool.Remove(MarkerName(uploadId)), cancellationToken);
    }

    /// <summary>
    /// Markers whose last append (a part added) is older. Part objects without a marker are never listed: after a
    /// publish they are the chunks of the blob.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListUploadsWrittenBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        foreach (var name in await RunAsync(pool.ListObjects, cancellationToken))
        {
            if (UploadOfMarker(name) is { } id && await RunAsync(() => pool.Modified(name), cancellationToken) < before)
            {
                stale.Add(id);
            }
        }
        return stale;
    }

    public void Dispose() => owned?.Dispose();

    internal static string BlobIndexName(Digest digest) => $"blob.{digest.Algorithm}.{digest.Hex}.idx";

    /// <summary>The blob whose index <paramref name="oid"/> is; null for any other object.</summary>
    internal static Digest? DigestOfIndex(string oid)
    {
        if (!oid.StartsWith("blob.", StringComparison.Ordinal) || !oid.EndsWith(".idx", StringComparison.Ordinal) || oid.Length < 10)
        {
            return null;
        }
        var name = oid[5..^4];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && Digest.TryParse(name[..dot] + ":" + name[(dot + 1)..], out var digest) && BlobIndexName(digest) == oid ? digest : null;
    }

    internal static string MarkerName(string uploadId) => $"upload.{CheckId(uploadId, nameof(uploadId))}";

    /// <summary>The upload whose marker <paramref name="oid"/> is; null for any other object (ids hold no '.').</summary>
    internal static string? UploadOfMarker(string oid) =>
        oid.StartsWith("upload.", StringComparison.Ordinal) && oid.IndexOf('.', 7) < 0 && IsId(oid[7..]) ? oid[7..] : null;

    internal static string PartIndexName(string uploadId, string partId) => $"{MarkerName(uploadId)}.{CheckId(partId, nameof(partId))}.idx";

    internal static string PartChunkName(string uploadId, string partId, int n) => $"{MarkerName(uploadId)}.{CheckId(partId, nameof(partId))}.{n}";

    // Ids come from the upload service, but a store must never let a caller choose arbitrary object names.
    private static string CheckId(string id, string parameter) =>
        IsId(id) ? id : throw new ArgumentException("invalid upload or part id", parameter);

    private static bool IsId(string id) => id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private void WritePiece(string name, ReadOnlySpan<byte> piece, int offset)
    {
        if (offset == 0)
        {
            pool.WriteFull(name, piece);
        }
        else
        {
            pool.Write(name, piece, offset);
        }
    }

    private async Task<BlobIndex?> ReadBlobIndexAsync(Digest digest, CancellationToken cancellationToken)
    {
        var name = BlobIndexName(digest);
        return await RunAsync(() => pool.ReadAll(name), cancellationToken) is { } json ? RadosJson.ReadBlob(json, name) : null;
    }

    /// <summary>The part ids listed in the upload's marker; null when the upload does not exist.</summary>
    private async Task<List<string>?> ReadPartIdsAsync(string uploadId, CancellationToken cancellationToken)
    {
        var marker = MarkerName(uploadId);
        var bytes = await RunAsync(() => pool.ReadAll(marker), cancellationToken);
        return bytes is null ? null : [.. Encoding.ASCII.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The chunk objects of exactly <paramref name="parts"/>, in order, after checking each part's index.</summary>
    private async Task<List<BlobChunk>> CommittedChunksAsync(string uploadId, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken)
    {
        var marker = MarkerName(uploadId);
        if (await RunAsync(() => pool.Stat(marker), cancellationToken) is null)
        {
            throw new KeyNotFoundException($"upload {uploadId} does not exist");
        }
        var chunks = new List<BlobChunk>();
        foreach (var part in parts)
        {
            var name = PartIndexName(uploadId, part.Id);
            var json = await RunAsync(() => pool.ReadAll(name), cancellationToken)
                ?? throw new KeyNotFoundException($"upload {uploadId} has no part {part.Id}");
            var index = RadosJson.ReadPart(json, name);
            if (index.Size != part.Size)
            {
                throw new InvalidDataException($"part {part.Id} of upload {uploadId} holds {index.Size} bytes, not its committed {part.Size}");
            }
            for (var n = 0; n < index.Chunks; n++)
            {
                var size = Math.Min(index.ChunkSize, index.Size - ((long)n * index.ChunkSize));
                chunks.Add(new BlobChunk(PartChunkName(uploadId, part.Id, n), size));
            }
        }
        return chunks;
    }

    /// <summary>
    /// Removes a part's chunks, then its index: the chunks its index counts, then any further ones (a writer that
    /// died before writing the index) until one is missing. Blocking.
    /// </summary>
    private void DeletePart(string uploadId, string partId)
    {
        var indexName = PartIndexName(uploadId, partId);
        var counted = pool.ReadAll(indexName) is { } json ? RadosJson.ReadPart(json, indexName).Chunks : 0;
        for (var n = 0; n < counted; n++)
        {
            pool.Remove(PartChunkName(uploadId, partId, n));
        }
        for (var n = counted; pool.Remove(PartChunkName(uploadId, partId, n)); n++)
        {
        }
        pool.Remove(indexName);
    }

    private static Task<T> RunAsync<T>(Func<T> call, CancellationToken cancellationToken) => Task.Run(call, cancellationToken);

    private static Task RunAsync(Action call, CancellationToken cancellationToken) => Task.Run(call, cancellationToken);
}
