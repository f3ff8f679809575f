using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Uploads;

/// <summary>
/// The blob upload state machine: start, append (streamed or chunked), status, complete with digest check,
/// cancel, and cross-repository mount. Every body is written to the blob store as a new immutable part that only
/// its writer touches; the metadata store's conditional write then decides which parts are committed, so any node
/// may continue an upload and a writer that loses a race never changes committed bytes. The hash state is a
/// per-node cache.
/// </summary>
public sealed partial class BlobUploadService(IBlobStore blobs, IMetadataStore metadata, UploadHashCache hashes, TimeProvider time)
{
    /// <param name="client">Who opens it (<see cref="Quotas.UploadAdmission.ClientKey"/>), counted for the per-client cap; null for uploads the registry opens itself.</param>
    public async Task<UploadSession> StartAsync(RepositoryName repository, CancellationToken cancellationToken, string? client = null)
    {
        var session = new UploadSession(NewId(), repository, [], time.GetUtcNow(), client);
        await blobs.CreateUploadAsync(session.Id, cancellationToken);
        await metadata.Uploads.CreateAsync(session, cancellationToken);
        return session;
    }

    /// <summary>
    /// Links an existing blob into <paramref name="repository"/>: from <paramref name="from"/> when given (it must
    /// hold the blob), otherwise from anywhere in the registry. Returns the blob's size, or null when nothing was mounted.
    /// </summary>
    public async Task<long?> TryMountAsync(RepositoryName repository, Digest digest, RepositoryName? from, CancellationToken cancellationToken)
    {
        var size = from is not null
            ? await metadata.BlobLinks.GetAsync(from, digest, cancellationToken)
            : await metadata.BlobLinks.GetAsync(repository, digest, cancellationToken) ?? await blobs.StatAsync(digest, cancellationToken);
        if (size is not { } found || await blobs.StatAsync(digest, cancellationToken) is null)
        {
            return null;
        }
        await metadata.BlobLinks.LinkAsync(repository, digest, found, cancellationToken);
        return found;
    }

    /// <exception cref="RegistryException">BLOB_UPLOAD_UNKNOWN when the upload does not exist in the repository.</exception>
    public async Task<UploadSession> GetAsync(RepositoryName repository, string id, CancellationToken cancellationToken)
    {
        if (!UploadId().IsMatch(id))
        {
            throw Unknown(id);
        }
        return await metadata.Uploads.GetAsync(repository, id, cancellationToken) ?? throw Unknown(id);
    }

    /// <summary>
    /// Appends a PATCH body. With <paramref name="range"/> the chunk must start where the upload ends (else 416)
    /// and carry exactly the bytes it claims; without it the body is streamed to its end. Returns the new size.
    /// </summary>
    public async Task<long> AppendAsync(RepositoryName repository, string id, Stream body, ContentRange? range, long? contentLength, CancellationToken cancellationToken)
    {
        var session = await GetAsync(repository, id, cancellationToken);
        if (range is { } r)
        {
            if (r.Start != session.Size)
            {
                throw new RegistryException(RegistryErrorCode.RangeInvalid, "chunk does not start where the upload ends",
                    new { expectedStart = session.Size, start = r.Start });
            }
            if (contentLength is { } declared && declared != r.Length)
            {
                throw new RegistryException(RegistryErrorCode.SizeInvalid, "Content-Length does not match Content-Range",
                    new { contentLength = declared, range = r.Length });
            }
        }
        var (committed, hash) = await WriteAsync(session, body, range?.Length ?? contentLength, cancellationToken);
        hashes.Save(id, committed.Size, hash);
        return committed.Size;
    }

    /// <summary>
    /// Completes the upload with an optional final body: verifies <paramref name="digest"/>, publishes the blob
    /// atomically and links it into the repository. A mismatch cancels the upload (400 DIGEST_INVALID).
    /// </summary>
    public async Task<long> CompleteAsync(RepositoryName repository, string id, Digest digest, Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        var session = await GetAsync(repository, id, cancellationToken);
        var (committed, hash) = await WriteAsync(session, body, contentLength, cancellationToken);
        var size = committed.Size;
        using (hash)
        {
            var actual = digest.Algorithm == Digest.Sha256
                ? Digest.FromHash(Digest.Sha256, hash.GetCurrentHash())
                : await RehashAsync(committed, digest.Algorithm, cancellationToken);
            if (actual != digest)
            {
                await CancelAsync(repository, id, cancellationToken);
                throw new RegistryException(RegistryErrorCode.DigestInvalid, "provided digest did not match uploaded content",
                    new { expected = digest.Value, actual = actual.Value });
            }
        }
        await blobs.PublishUploadAsync(id, committed.Parts, digest, cancellationToken);
        await metadata.BlobLinks.LinkAsync(repository, digest, size, cancellationToken);
        await metadata.Uploads.DeleteAsync(repository, id, cancellationToken);
        hashes.Forget(id);
        return size;
    }

    public async Task CancelAsync(RepositoryName repository, string id, CancellationToken cancellationToken)
    {
        await GetAsync(repository, id, cancellationToken);
        await metadata.Uploads.DeleteAsync(repository, id, cancellationToken);
        await blobs.DeleteUploadAsync(id, cancellationToken);
        hashes.Forget(id);
    }

    /// <summary>Cancels uploads started more than <paramref name="maxAge"/> ago (abandoned by their clients); returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var purged = 0;
        IReadOnlyList<UploadSession> batch;
        do
        {
            batch = await metadata.Uploads.ListStartedBeforeAsync(time.GetUtcNow() - maxAge, 100, cancellationToken);
            foreach (var session in batch)
            {
                await metadata.Uploads.DeleteAsync(session.Repository, session.Id, cancellationToken);
                await blobs.DeleteUploadAsync(session.Id, cancellationToken);
                hashes.Forget(session.Id);
                purged++;
            }
        }
        while (batch.Count == 100);
        return purged;
    }

    /// <summary>
    /// Writes <paramref name="body"/> as a new part and commits it if the upload still has the size read in
    /// <paramref name="session"/>. A part of the wrong length, or one that lost the race, is deleted and the
    /// committed state is left as it was. Returns the session as committed, with the hash of all its bytes.
    /// </summary>
    private async Task<(UploadSession Committed, IncrementalHash Hash)> WriteAsync(UploadSession session, Stream body, long? expectedLength, CancellationToken cancellationToken)
    {
        var hash = hashes.Take(session.Id, session.Size) ?? await RebuildHashAsync(session, cancellationToken);
        var partId = NewId();
        // Deleted unless committed, but kept when the outcome of the conditional write is unknown (it threw): an
        // orphan part costs only space until its upload goes, a deleted committed part would lose the upload.
        var keepPart = false;
        try
        {
            var hashing = new HashingReadStream(body, hash);
            var written = await blobs.WriteUploadPartAsync(session.Id, partId, hashing, cancellationToken);
            if (expectedLength is { } expected && written != expected)
            {
                throw new RegistryException(RegistryErrorCode.SizeInvalid, "body length does not match the declared length",
                    new { declared = expected, received = written });
            }
            if (written == 0)
            {
                // Nothing to commit; an empty part would only lengthen the part list.
                return (session, hash);
            }
            var part = new UploadPart(partId, written);
            keepPart = true;
            if (!await metadata.Uploads.TryAdvanceAsync(session.Repository, session.Id, session.Size, part, cancellationToken))
            {
                keepPart = false;
                throw new RegistryException(RegistryErrorCode.RangeInvalid, "upload was changed concurrently", new { session.Id });
            }
            return (session with { Parts = [.. session.Parts, part] }, hash);
        }
        catch
        {
            hash.Dispose();
            throw;
        }
        finally
        {
            if (!keepPart)
            {
                await DeletePartQuietlyAsync(session.Id, partId);
            }
        }
    }

    private async Task DeletePartQuietlyAsync(string uploadId, string partId)
    {
        try
        {
            // Not the request's token: a part left behind by a cancelled request should still go.
            await blobs.DeleteUploadPartAsync(uploadId, partId, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            // An orphan part is never committed; it goes with its upload (cancel, complete or purge).
        }
    }

    private async Task<IncrementalHash> RebuildHashAsync(UploadSession session, CancellationToken cancellationToken)
    {
        var hash = UploadHashCache.NewHash();
        if (session.Parts.Count > 0)
        {
            try
            {
                await using var staged = await blobs.OpenUploadAsync(session.Id, session.Parts, cancellationToken);
                await HashIntoAsync(staged, hash, cancellationToken);
            }
            catch
            {
                hash.Dispose();
                throw;
            }
        }
        return hash;
    }

    private async Task<Digest> RehashAsync(UploadSession session, string algorithm, CancellationToken cancellationToken)
    {
        using var hash = Digest.CreateHash(algorithm);
        await using var staged = await blobs.OpenUploadAsync(session.Id, session.Parts, cancellationToken);
        await HashIntoAsync(staged, hash, cancellationToken);
        return Digest.FromHash(algorithm, hash.GetCurrentHash());
    }

    private static async Task HashIntoAsync(Stream source, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 17];
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static RegistryException Unknown(string id) =>
        new(RegistryErrorCode.BlobUploadUnknown, "blob upload unknown to registry", new { uuid = id });

    [GeneratedRegex(@"^[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex UploadId();
}
