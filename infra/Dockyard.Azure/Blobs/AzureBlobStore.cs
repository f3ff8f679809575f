using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Blobs;

/// <summary>
/// Blobs in one Azure Blob Storage container, as block blobs (names in <see cref="AzureBlobNames"/>). A part is staged
/// block by block from its stream and committed once, refusing an existing name. Publishing is server-side: the
/// parts' bytes become the blocks of the destination by Put Block From URL (read SAS on the part, ranges of at most
/// <see cref="AzureBlobStoreOptions.CopyRangeSize"/>), and one Put Block List with If-None-Match: * makes the whole
/// blob visible at once — uncommitted blocks are never readable, so a crash leaves no blob or the whole blob.
/// Transient faults surface as <see cref="Core.Errors.StorageUnavailableException"/> after the SDK's retries.
/// </summary>
public sealed class AzureBlobStore(BlobContainerClient container, AzureBlobStoreOptions options) : IBlobStore
{
    public BlobContainerClient Container => container;

    public Task<long?> StatAsync(Digest digest, CancellationToken cancellationToken) => Guard(async () =>
    {
        try
        {
            var properties = await Block(AzureBlobNames.Blob(digest)).GetPropertiesAsync(cancellationToken: cancellationToken);
            return (long?)properties.Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    });

    public Task<Stream?> OpenReadAsync(Digest digest, long offset, CancellationToken cancellationToken) => Guard(async () =>
    {
        var blob = Block(AzureBlobNames.Blob(digest));
        try
        {
            var download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset) }, cancellationToken);
            return (Stream?)download.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // An offset at (or past) the end: nothing left to read, if the blob exists at all.
            return await StatAsync(digest, cancellationToken) is null ? null : new MemoryStream([], writable: false);
        }
    });

    public Task<IReadOnlyList<StoredBlob>> ListBlobsAsync(string? after, int limit, CancellationToken cancellationToken) =>
        Guard(() => BlobListing.ListAsync(container, after, limit, cancellationToken));

    public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken) => Guard(async () =>
        (bool)await Block(AzureBlobNames.Blob(digest)).DeleteIfExistsAsync(cancellationToken: cancellationToken));

    public Task CreateUploadAsync(string uploadId, CancellationToken cancellationToken) => Guard(async () =>
    {
        using var empty = new MemoryStream([], writable: false);
        await Block(AzureBlobNames.Marker(uploadId)).UploadAsync(empty, cancellationToken: cancellationToken);
        return true;
    });

    public Task<long> WriteUploadPartAsync(string uploadId, string partId, Stream data, CancellationToken cancellationToken) => Guard(async () =>
    {
        var part = Block(AzureBlobNames.Part(uploadId, partId));
        await RequireUploadAsync(uploadId, cancellationToken);
        var (blocks, bytes) = await BlockStager.StageAsync(part, data, options.BlockSize, "p", cancellationToken);
        try
        {
            await part.CommitBlockListAsync(blocks, new CommitBlockListOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw new IOException($"part {partId} of upload {uploadId} already exists", e);
        }
        if (!await ExistsAsync(AzureBlobNames.Marker(uploadId), cancellationToken))
        {
            // The upload was deleted while this part was written: do not leave the part behind it.
            await part.DeleteIfExistsAsync(cancellationToken: cancellationToken);
            throw new KeyNotFoundException($"upload {uploadId} was deleted during the write");
        }
        return bytes;
    });

    public Task<Stream> OpenUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken) => Guard(async () =>
    {
        await CheckPartsAsync(uploadId, parts, cancellationToken);
        Stream stream = new ConcatenatedReadStream(parts.Count, async (i, ct) =>
        {
            var download = await Guard(() => PartAsync(uploadId, parts[i].Id,
                async () => await Block(AzureBlobNames.Part(uploadId, parts[i].Id)).DownloadStreamingAsync(cancellationToken: ct)));
            return new BoundedReadStream(download.Value.Content, parts[i].Size);
        });
        return stream;
    });

    public Task PublishUploadAsync(string uploadId, IReadOnlyList<UploadPart> parts, Digest digest, CancellationToken cancellationToken) => Guard(async () =>
    {
        var target = Block(AzureBlobNames.Blob(digest));
        if (!await TryRefreshAsync(target, cancellationToken))
        {
            await CheckPartsAsync(uploadId, parts, cancellationToken);
            var tag = Guid.NewGuid().ToString("N"); // concurrent publishers of one digest stage distinct blocks
            var blocks = new List<string>();
            foreach (var part in parts)
            {
                var source = SourceUri(AzureBlobNames.Part(uploadId, part.Id));
                for (long offset = 0; offset < part.Size; offset += options.CopyRangeSize)
                {
                    var id = BlockStager.BlockId(tag, blocks.Count);
                    var range = new HttpRange(offset, Math.Min(options.CopyRangeSize, part.Size - offset));
                    await PartAsync(uploadId, part.Id,
                        () => target.StageBlockFromUriAsync(source, id, new StageBlockFromUriOptions { SourceRange = range }, cancellationToken));
                    blocks.Add(id);
                }
            }
            try
            {
                await target.CommitBlockListAsync(blocks, new CommitBlockListOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                    cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another node published the same content first; identical bytes, keep theirs.
            }
        }
        await DeleteUploadAsync(uploadId, cancellationToken);
        return true;
    });

    public Task DeleteUploadPartAsync(string uploadId, string partId, CancellationToken cancellationToken) => Guard(async () =>
        (bool)await Block(AzureBlobNames.Part(uploadId, partId)).DeleteIfExistsAsync(cancellationToken: cancellationToken));

    public Task DeleteUploadAsync(string uploadId, CancellationToken cancellationToken) => Guard(async () =>
    {
        // The marker first: a write that finishes after this sees the upload gone and removes its own part.
        await Block(AzureBlobNames.Marker(uploadId)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = AzureBlobNames.Upload(uploadId) }, cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken);
        }
        return true;
    });

    /// <summary>An upload's last write is the newest of its blobs (marker and committed parts).</summary>
    public Task<IReadOnlyList<string>> ListUploadsWrittenBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) => Guard(async () =>
    {
        var newest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = AzureBlobNames.Uploads }, cancellationToken))
        {
            if (AzureBlobNames.UploadOf(item.Name) is { } id)
            {
                var written = item.Properties.LastModified ?? DateTimeOffset.MaxValue;
                newest[id] = newest.TryGetValue(id, out var seen) && seen > written ? seen : written;
            }
        }
        return (IReadOnlyList<string>)[.. newest.Where(e => e.Value < before).Select(e => e.Key)];
    });

    /// <summary>A read SAS URL valid for <see cref="AzureBlobStoreOptions.SasExpiry"/>; null when redirects are off or the credential cannot sign.</summary>
    public Task<Uri?> GetRedirectUriAsync(Digest digest, CancellationToken cancellationToken)
    {
        var blob = Block(AzureBlobNames.Blob(digest));
        return Task.FromResult(options.SasRedirect && blob.CanGenerateSasUri
            ? blob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow + options.SasExpiry)
            : null);
    }

    private BlockBlobClient Block(string name) => container.GetBlockBlobClient(name);

    /// <summary>
    /// Moves an existing blob's Last-Modified (its publish time for garbage collection) to now by rewriting its
    /// metadata, which never recreates a blob; false when there is none (also when it was collected just now).
    /// </summary>
    private static async Task<bool> TryRefreshAsync(BlockBlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            await blob.SetMetadataAsync(new Dictionary<string, string> { ["published"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) }, cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    /// <summary>The part's URL as a copy source: signed for reading when the credential can sign, else as it is.</summary>
    private Uri SourceUri(string name)
    {
        var blob = Block(name);
        return blob.CanGenerateSasUri ? blob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)) : blob.Uri;
    }

    private async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        await Block(name).ExistsAsync(cancellationToken);

    private async Task RequireUploadAsync(string uploadId, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(AzureBlobNames.Marker(uploadId), cancellationToken))
        {
            throw new KeyNotFoundException($"upload {uploadId} does not exist");
        }
    }

    /// <summary>Reads a part checked before: one deleted since (a concurrent clean-up, a purge) means the upload is gone.</summary>
    private static async Task<T> PartAsync<T>(string uploadId, string partId, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new KeyNotFoundException($"upload {uploadId} lost its part {partId}", e);
        }
    }

    /// <summary>Checks that the upload and each part exist, with the recorded size.</summary>
    private async Task CheckPartsAsync(string uploadId, IReadOnlyList<UploadPart> parts, CancellationToken cancellationToken)
    {
        await RequireUploadAsync(uploadId, cancellationToken);
        foreach (var part in parts)
        {
            long size;
            try
            {
                size = (await Block(AzureBlobNames.Part(uploadId, part.Id)).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new KeyNotFoundException($"upload {uploadId} has no part {part.Id}", e);
            }
            if (size != part.Size)
            {
                throw new InvalidDataException($"part {part.Id} of upload {uploadId} holds {size} bytes, not its committed {part.Size}");
            }
        }
    }

    /// <summary>Runs a storage operation, turning transient faults into <see cref="Core.Errors.StorageUnavailableException"/>.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (AzureFaults.IsTransient(e))
        {
            throw AzureFaults.Unavailable("Azure Blob Storage", "azureblob", e);
        }
    }
}
