using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Local.Caching;

/// <summary>
/// A bounded local-disk read cache in front of a remote blob store (<c>[dockyard] cachable</c>):
/// <code>
/// &lt;root&gt;/&lt;algorithm&gt;/&lt;hex&gt;   a published blob, whole and verified against its digest
/// &lt;root&gt;/tmp/&lt;random&gt;         a blob being filled from the remote store
/// </code>
/// A published blob read from the start is streamed from the inner store and copied into a temporary file that is
/// moved into the cache only when the whole blob has passed and its digest matches; later reads come from the file
/// (and <see cref="GetLocalPath"/> offers it for zero-copy sends). Blobs are immutable, so a cached file never goes
/// stale; deletes remove it. Past <c>maxBytes</c> the least recently used files are evicted. Uploads pass straight
/// through to the inner store.
/// </summary>
public sealed class CachedBlobStore : IBlobStore
{
    private readonly IBlobStore inner;
    private readonly string root;
    private readonly string tempRoot;
    private readonly CacheIndex index;

    /// <param name="inner">The remote store every miss, write and delete goes to.</param>
    /// <param name="root">The cache folder (created; files left by an earlier run are kept and indexed).</param>
    /// <param name="maxBytes">The size bound of the cache.</param>
    public CachedBlobStore(IBlobStore inner, string root, long maxBytes)
    {
        this.inner = inner;
        this.root = Path.GetFullPath(root);
        tempRoot = Path.Combine(this.root, "tmp");
        if (Directory.Exists(tempRoot))
        {
            Directory.Delete(tempRoot, recursive: true); // fills cut short by a crash
        }
        Directory.CreateDirectory(tempRoot);
        var existing = new[] { Digest.Sha256, Digest.Sha512 }.Select(a => Path.Combine(this.root, a)).Where(Directory.Exists)
            .SelectMany(d => new DirectoryInfo(d).EnumerateFiles());
        index = new CacheIndex(existing, maxBytes);
    }

    /// <summary>The bytes the cache holds now.</summary>
    public long CachedBytes => index.TotalBytes;

    public async Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        var info = new FileInfo(CachePath(digest));
        return info.Exists ? info.Length : await inner.StatAsync(digest, cancellationToken);
    }

    public async Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken)
    {
        if (OpenCached(digest, offset) is { } cached)
        {
            return cached;
        }
        var stream = await inner.OpenReadAsync(digest, offset, cancellationToken);
        if (stream is null || offset != 0 || await inner.StatAsync(digest, cancellationToken) is not { } size)
        {
            return stream;
        }
        var temp = Path.Combine(tempRoot, Guid.NewGuid().ToString("N"));
        return new CacheFillStream(stream, digest, size, temp, filled => Admit(filled, digest, size));
    }

    public async Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = CachePath(digest);
        var wasCached = File.Exists(path);
        index.Remove(path);
        return await inner.DeleteAsync(digest, cancellationToken) || wasCached;
    }

    public Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(string? after, int limit, CancellationToken cancellationToken) =>
        inner.ListBlobsAsync(after, limit, cancellationToken);

    public Task CreateUploadAsync(string uploadId, CancellationToken cancellationToken) => inner.CreateUploadAsync(uploadId, cancellationToken);

    public Task<long> WriteUploadPartAsync(string uploadId, string partId, Stream data, CancellationToken cancellationToken) =>
        inner.WriteUploadPartAsync(uploadId, partId, data, cancellationToken);

    public Task<Stream> OpenUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken) =>
        inner.OpenUploadAsync(uploadId, parts, cancellationToken);

    public Task PublishUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, Digest digest, CancellationToken cancellationToken) =>
        inner.PublishUploadAsync(uploadId, parts, digest, cancellationToken);

    public Task DeleteUploadPartAsync(string uploadId, string partId, CancellationToken cancellationToken) =>
        inner.DeleteUploadPartAsync(uploadId, partId, cancellationToken);

    public Task DeleteUploadAsync(string uploadId, CancellationToken cancellationToken) => inner.DeleteUploadAsync(uploadId, cancellationToken);

    public Task<IReadOnlyList<string>> ListUploadsWrittenBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        inner.ListUploadsWrittenBeforeAsync(before, cancellationToken);

    /// <summary>The cached file of the blob; null when it is not cached (the host then reads through the store).</summary>
    public string? GetLocalPath(Digest digest)
    {
        var path = CachePath(digest);
        return File.Exists(path) && index.Touch(path) ? path : null;
    }

    /// <summary>Null for a cached blob (served from disk here); else the inner store's redirect, if any.</summary>
    public Task<Uri?> GetRedirectUriAsync(Digest digest, CancellationToken cancellationToken) =>
        File.Exists(CachePath(digest)) ? Task.FromResult<Uri?>(null) : inner.GetRedirectUriAsync(digest, cancellationToken);

    private string CachePath(Digest digest) => Path.Combine(root, digest.Algorithm, digest.Hex);

    private FileStream? OpenCached(Digest digest, long offset)
    {
        var path = CachePath(digest);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            index.Touch(path);
            stream.Seek(offset, SeekOrigin.Begin);
            return stream;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Moves a verified temporary file into the cache (a concurrent fill of the same blob may have won).</summary>
    private void Admit(string tempPath, Digest digest, long size)
    {
        var path = CachePath(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.Move(tempPath, path, overwrite: false);
        }
        catch (IOException)
        {
            return; // already cached by another reader; the temp file goes with its stream
        }
        index.Add(path, size);
    }
}
