using System.Buffers;
using Dockyard.Core.Blobs;
using Dockyard.Core.Names;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Blobs on a local (or shared POSIX) file system:
/// <code>
/// &lt;root&gt;/blobs/&lt;algorithm&gt;/&lt;first two hex&gt;/&lt;hex&gt;   published, immutable
/// &lt;root&gt;/uploads/&lt;upload id&gt;                        staging, one file per upload
/// </code>
/// Publishing is fsync then rename within one file system, so a blob path holds the whole verified blob or nothing.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const int CopyBufferSize = 1 << 20;
    private readonly string blobsRoot;
    private readonly string uploadsRoot;

    public FileSystemBlobStore(string root)
    {
        var full = Path.GetFullPath(root);
        blobsRoot = Path.Combine(full, "blobs");
        uploadsRoot = Path.Combine(full, "uploads");
        Directory.CreateDirectory(blobsRoot);
        Directory.CreateDirectory(uploadsRoot);
    }

    public Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        var info = new FileInfo(BlobPath(digest));
        return Task.FromResult<long?>(info.Exists ? info.Length : null);
    }

    public Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            stream.Seek(offset, SeekOrigin.Begin);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = BlobPath(digest);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        File.Delete(path);
        return Task.FromResult(true);
    }

    public Task CreateUploadAsync(string uploadId, CancellationToken cancellationToken)
    {
        using (new FileStream(UploadPath(uploadId), FileMode.CreateNew, FileAccess.Write))
        {
        }
        return Task.CompletedTask;
    }

    public async Task<long> WriteUploadAsync(string uploadId, long offset, Stream data, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(UploadPath(uploadId), FileMode.Open, FileAccess.Write, FileShare.Read, 0);
        }
        catch (FileNotFoundException e)
        {
            throw new KeyNotFoundException($"upload {uploadId} has no staging file", e);
        }
        await using (file)
        {
            if (file.Length < offset)
            {
                throw new InvalidDataException($"upload {uploadId} holds {file.Length} bytes, fewer than its committed {offset}");
            }
            file.SetLength(offset);
            file.Seek(offset, SeekOrigin.Begin);
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                long written = 0;
                while (true)
                {
                    // Fill the buffer before writing: network reads arrive in small pieces, disk writes want large ones.
                    var filled = 0;
                    int n;
                    while (filled < CopyBufferSize && (n = await data.ReadAsync(buffer.AsMemory(filled, CopyBufferSize - filled), cancellationToken)) > 0)
                    {
                        filled += n;
                    }
                    if (filled == 0)
                    {
                        return written;
                    }
                    await file.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
                    written += filled;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public Task<Stream> OpenUploadAsync(string uploadId, long length, CancellationToken cancellationToken)
    {
        var file = new FileStream(UploadPath(uploadId), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        return Task.FromResult<Stream>(new BoundedReadStream(file, length));
    }

    public Task PublishUploadAsync(string uploadId, long length, Digest digest, CancellationToken cancellationToken)
    {
        var source = UploadPath(uploadId);
        var target = BlobPath(digest);
        if (File.Exists(target))
        {
            File.Delete(source);
            return Task.CompletedTask;
        }
        using (var file = new FileStream(source, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            file.SetLength(length);
            file.Flush(flushToDisk: true);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            File.Move(source, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another node published the same content first; identical bytes, keep theirs.
            File.Delete(source);
        }
        return Task.CompletedTask;
    }

    public Task DeleteUploadAsync(string uploadId, CancellationToken cancellationToken)
    {
        File.Delete(UploadPath(uploadId));
        return Task.CompletedTask;
    }

    public string? GetLocalPath(Digest digest) => BlobPath(digest);

    private string BlobPath(Digest digest) => Path.Combine(blobsRoot, digest.Algorithm, digest.Hex[..2], digest.Hex);

    private string UploadPath(string uploadId)
    {
        // Ids come from the upload service, but a store must never let a key escape its root.
        if (uploadId.Length == 0 || uploadId.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
        {
            throw new ArgumentException("invalid upload id", nameof(uploadId));
        }
        return Path.Combine(uploadsRoot, uploadId);
    }
}
