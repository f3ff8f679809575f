using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Local.FileSystem;

/// <summary>
/// Blobs on a local (or shared POSIX) file system:
/// <code>
/// &lt;root&gt;/blobs/&lt;algorithm&gt;/&lt;first two hex&gt;/&lt;hex&gt;   published, immutable
/// &lt;root&gt;/uploads/&lt;upload id&gt;/&lt;part id&gt;              staging, one folder per upload, one file per part
/// &lt;root&gt;/uploads/&lt;upload id&gt;/publish.&lt;random&gt;       a multi-part blob being assembled
/// </code>
/// Each part file is created once by its only writer and never rewritten. Publishing is fsync then rename within one
/// file system, so a blob path holds the whole verified blob or nothing: a single part is renamed into place as it
/// is (no copy: docker sends a whole layer in one PATCH), several parts are first concatenated into a file of the
/// upload folder. The upload folder is removed afterwards, a large one off the request path (<see cref="StagingFolders"/>). A blob written directly to the disk is read back into the
/// page cache off the request path once published (<see cref="PageCacheWarmer"/>). A full or failing disk surfaces as
/// <see cref="Core.Errors.StorageUnavailableException"/> (see <see cref="DiskFaults"/>).
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private readonly string blobsRoot;
    private readonly string uploadsRoot;

    public FileSystemBlobStore(string root)
    {
        var full = Path.GetFullPath(root);
        blobsRoot = Path.Combine(full, "blobs");
        uploadsRoot = Path.Combine(full, "uploads");
        OwnerOnly(blobsRoot);
        OwnerOnly(uploadsRoot);
    }

    // Private images must not be readable by other accounts of the host: the two roots are the service account's
    // alone (also when an older version created them 0755), so the files below need no mode of their own.
    private static void OwnerOnly(string folder)
    {
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        Directory.CreateDirectory(folder, Owner);
        if (File.GetUnixFileMode(folder) != Owner)
        {
            File.SetUnixFileMode(folder, Owner);
        }
    }

    public Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        var info = new FileInfo(BlobPath(digest));
        return Task.FromResult<long?>(info.Exists ? info.Length : null);
    }

    public Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken) => DiskFaults.Guard(() =>
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
    });

    public Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(string? after, int limit, CancellationToken cancellationToken) =>
        DiskFaults.Guard(() => Task.FromResult<IReadOnlyList<StoredBlob>>(BlobListing.List(blobsRoot, after, limit, cancellationToken)));

    public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken) => DiskFaults.Guard(() =>
    {
        var path = BlobPath(digest);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        File.Delete(path);
        return Task.FromResult(true);
    });

    public Task CreateUploadAsync(string uploadId, CancellationToken cancellationToken) => DiskFaults.Guard(() =>
    {
        Directory.CreateDirectory(UploadPath(uploadId));
        return Task.CompletedTask;
    });

    public Task<long> WriteUploadPartAsync(string uploadId, string partId, Stream data, CancellationToken cancellationToken) => DiskFaults.Guard(async () =>
    {
        var path = PartPath(uploadId, partId);
        FileStream file;
        try
        {
            // CreateNew: a part is never overwritten. A missing folder is a missing upload (never re-created here,
            // so a write racing a cancel cannot resurrect the upload).
            file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 0);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new KeyNotFoundException($"upload {uploadId} has no staging folder", e);
        }
        await using (file)
        {
            return await OverlappedFileCopy.CopyAsync(data, file.SafeFileHandle, 0, cancellationToken);
        }
    });

    public Task<Stream> OpenUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken) => DiskFaults.Guard(() =>
    {
        var paths = CheckParts(uploadId, parts);
        Stream stream = new ConcatenatedReadStream(parts.Count, (i, _) =>
            ValueTask.FromResult<Stream>(new BoundedReadStream(OpenPart(uploadId, paths[i]), parts[i].Size)));
        return Task.FromResult(stream);
    });

    public Task PublishUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, Digest digest, CancellationToken cancellationToken) => DiskFaults.Guard(async () =>
    {
        var target = BlobPath(digest);
        var folder = UploadPath(uploadId);
        var staged = parts.Sum(p => p.Size);
        if (TryRefresh(target))
        {
            StagingFolders.Remove(folder, staged);
            return;
        }
        var paths = CheckParts(uploadId, parts);
        string source;
        if (parts.Count == 1)
        {
            source = paths[0];
            using var file = OpenStaged(uploadId, () => new FileStream(source, FileMode.Open, FileAccess.ReadWrite, FileShare.Read));
            file.Flush(flushToDisk: true);
        }
        else
        {
            source = Path.Combine(folder, "publish." + Guid.NewGuid().ToString("N"));
            try
            {
                await using var file = new FileStream(source, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
                long written = 0;
                foreach (var path in paths)
                {
                    await using var part = OpenPart(uploadId, path);
                    written += await OverlappedFileCopy.CopyAsync(part, file.SafeFileHandle, written, cancellationToken);
                }
                file.Flush(flushToDisk: true);
            }
            catch (DirectoryNotFoundException e)
            {
                throw new KeyNotFoundException($"upload {uploadId} has no staging folder", e);
            }
            catch
            {
                DeleteQuietly(source);
                throw;
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var left = parts.Count == 1 ? 0 : staged; // what the folder holds once the source is moved out: the other parts
        try
        {
            File.Move(source, target, overwrite: false);
            _ = PageCacheWarmer.TryStart(target, staged); // off the request path, never fails
        }
        catch (IOException) when (TryRefresh(target))
        {
            // Another node published the same content first; identical bytes, keep theirs.
            left += staged;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeyNotFoundException($"upload {uploadId} lost its staged bytes while they were published", e);
        }
        StagingFolders.Remove(folder, left);
    });

    public Task DeleteUploadPartAsync(string uploadId, string partId, CancellationToken cancellationToken) => DiskFaults.Guard(() =>
    {
        try
        {
            File.Delete(PartPath(uploadId, partId)); // no error for a missing file
        }
        catch (DirectoryNotFoundException)
        {
            // The whole upload is gone, and the part with it.
        }
        return Task.CompletedTask;
    });

    public Task DeleteUploadAsync(string uploadId, CancellationToken cancellationToken) => DiskFaults.Guard(() =>
    {
        StagingFolders.Delete(UploadPath(uploadId));
        return Task.CompletedTask;
    });

    public Task<IReadOnlyList<string>> ListUploadsWrittenBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        foreach (var folder in new DirectoryInfo(uploadsRoot).EnumerateDirectories())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsId(folder.Name) && WrittenBefore(folder, before.UtcDateTime))
            {
                stale.Add(folder.Name);
            }
        }
        return Task.FromResult<IReadOnlyList<string>>(stale);
    }

    public string? GetLocalPath(Digest digest) => BlobPath(digest);

    // The file's modification time is the blob's publish time for garbage collection's grace period, so publishing
    // content that exists moves it to now. False when there is no such blob (also when it was collected just now).
    private static bool TryRefresh(string target)
    {
        try
        {
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private string BlobPath(Digest digest) => Path.Combine(blobsRoot, digest.Algorithm, digest.Hex[..2], digest.Hex);

    private string UploadPath(string uploadId) => Path.Combine(uploadsRoot, CheckId(uploadId, nameof(uploadId)));

    private string PartPath(string uploadId, string partId) =>
        Path.Combine(UploadPath(uploadId), CheckId(partId, nameof(partId)));

    // Ids come from the upload service, but a store must never let a key escape its root.
    private static string CheckId(string id, string parameter) =>
        IsId(id) ? id : throw new ArgumentException("invalid upload or part id", parameter);

    private static bool IsId(string id) => id.Length is > 0 and <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    // Adding a part touches the folder; streaming into a part touches only the part: both must be older.
    private static bool WrittenBefore(DirectoryInfo folder, DateTime before)
    {
        try
        {
            return folder.LastWriteTimeUtc < before && folder.EnumerateFiles().All(f => f.LastWriteTimeUtc < before);
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The paths of the parts, after checking that each exists with (at least) its recorded size.</summary>
    private string[] CheckParts(string uploadId, IReadOnlyList<UploadPart> parts)
    {
        var folder = UploadPath(uploadId);
        var paths = parts.Select(p => PartPath(uploadId, p.Id)).ToArray();
        if (!Directory.Exists(folder))
        {
            throw new KeyNotFoundException($"upload {uploadId} has no staging folder");
        }
        for (var i = 0; i < parts.Count; i++)
        {
            var info = new FileInfo(paths[i]);
            if (!info.Exists)
            {
                throw new KeyNotFoundException($"upload {uploadId} has no part {parts[i].Id}");
            }
            if (info.Length != parts[i].Size)
            {
                throw new InvalidDataException($"part {parts[i].Id} of upload {uploadId} holds {info.Length} bytes, not its committed {parts[i].Size}");
            }
        }
        return paths;
    }

    private static FileStream OpenPart(string uploadId, string path) =>
        OpenStaged(uploadId, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan));

    /// <summary>Opens a staged file; one deleted after it was checked (a crash clean-up, a purge) means the upload is gone.</summary>
    private static FileStream OpenStaged(string uploadId, Func<FileStream> open)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new KeyNotFoundException($"upload {uploadId} lost its staged bytes", e);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in the upload folder, which goes with the upload.
        }
    }
}
