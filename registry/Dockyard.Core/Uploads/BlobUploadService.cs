using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dockyard.Core.Blobs;
using Dockyard.Core.Collection;
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
/// <remarks>
/// Whoever removes a session's record owns its staged bytes: a cancel, a completion (which removes the record before
/// it publishes), the purge (<see cref="UploadPurge"/>), or a request that finds the bytes gone. So no two of them work on one staging area, a
/// completion never publishes parts a cancel is deleting, and a crash leaves at worst staged bytes without a session,
/// which the purge of orphans removes once they are older than the upload expiry.
/// </remarks>
public sealed partial class BlobUploadService(IBlobStore blobs, IMetadataStore metadata, UploadHashCache hashes, BlobLinker linker, TimeProvider time)
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
        await linker.LinkAsync(repository, digest, found, cancellationToken);
        return found;
    }

    /// <param name="client">The caller (<see cref="Quotas.UploadAdmission.ClientKey"/>): an upload another account opened is
    /// unknown to them (<see cref="Quotas.UploadAdmission.MayContinue"/>); null for the registry's own calls.</param>
    /// <exception cref="RegistryException">BLOB_UPLOAD_UNKNOWN when the upload does not exist in the repository, or is not the caller's.</exception>
    public async Task<UploadSession> GetAsync(RepositoryName repository, string id, CancellationToken cancellationToken, string? client = null)
    {
        RequireId(id);
        var session = await metadata.Uploads.GetAsync(repository, id, cancellationToken);
        return session is not null && (client is null || Quotas.UploadAdmission.MayContinue(session.Client, client)) ? session : throw Unknown(id);
    }

    /// <summary>
    /// Appends a PATCH body. With <paramref name="range"/> the chunk must start where the upload ends (else 416)
    /// and carry exactly the bytes it claims; without it the body is streamed to its end. Returns the new size.
    /// An upload whose staged bytes are gone (a crash, or a concurrent cancel or completion) is forgotten: 404.
    /// </summary>
    public async Task<long> AppendAsync(RepositoryName repository, string id, Stream body, ContentRange? range, long? contentLength, CancellationToken cancellationToken,
        string? client = null)
    {
        var session = await GetAsync(repository, id, cancellationToken, client);
        range?.RequireContinues(session.Size, contentLength);
        var (committed, hash) = await WriteAsync(session, body, range?.Length ?? contentLength, cancellationToken);
        hashes.Save(id, committed.Size, hash);
        return committed.Size;
    }

    /// <summary>
    /// Completes the upload with an optional final body, a chunk checked as in <see cref="AppendAsync"/> when
    /// <paramref name="range"/> is given: verifies <paramref name="digest"/>, takes the session (its record goes
    /// first), publishes the blob atomically and links it into the repository. A mismatch cancels the upload
    /// (400 DIGEST_INVALID).
    /// </summary>
    /// <remarks>
    /// Not idempotent: once completed, or once its staged bytes are lost (a crash while publishing), the upload is
    /// unknown (404 BLOB_UPLOAD_UNKNOWN) and a client retrying the PUT pushes the blob again (its HEAD finds a blob
    /// that did get published). Completing a lost upload by the digest alone would link a blob into the repository
    /// without the client proving it holds the bytes. A concurrent completion of the same bytes that published
    /// first makes this one succeed too.
    /// </remarks>
    public async Task<long> CompleteAsync(RepositoryName repository, string id, Digest digest, Stream body, ContentRange? range, long? contentLength,
        CancellationToken cancellationToken, string? client = null)
    {
        var session = await GetAsync(repository, id, cancellationToken, client);
        range?.RequireContinues(session.Size, contentLength);
        var (committed, hash) = await WriteAsync(session, body, range?.Length ?? contentLength, cancellationToken);
        using (hash)
        {
            var actual = digest.Algorithm == Digest.Sha256
                ? Digest.FromHash(Digest.Sha256, hash.GetCurrentHash())
                : await RehashAsync(committed, digest.Algorithm, cancellationToken);
            if (actual != digest)
            {
                await DiscardAsync(committed);
                throw new RegistryException(RegistryErrorCode.DigestInvalid, "provided digest did not match uploaded content",
                    new { expected = digest.Value, actual = actual.Value });
            }
        }
        await PublishAsync(committed, digest, cancellationToken);
        await linker.LinkAsync(repository, digest, committed.Size, cancellationToken);
        return committed.Size;
    }

    public async Task CancelAsync(RepositoryName repository, string id, CancellationToken cancellationToken, string? client = null)
    {
        RequireId(id);
        if (client is not null)
        {
            await GetAsync(repository, id, cancellationToken, client);
        }
        if (!await metadata.Uploads.DeleteAsync(repository, id, cancellationToken))
        {
            throw Unknown(id);
        }
        hashes.Forget(id);
        await blobs.DeleteUploadAsync(id, cancellationToken);
    }

    /// <summary>
    /// Cancels an upload its caller opened for one request and could not complete; an upload already gone (completed,
    /// cancelled) is left alone, and a store that fails leaves it to the purge.
    /// </summary>
    public async Task CancelQuietlyAsync(RepositoryName repository, string id)
    {
        try
        {
            await CancelAsync(repository, id, CancellationToken.None);
        }
        catch (Exception e) when (e is RegistryException or IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            // Gone already, or the store is down: the purge removes what is left.
        }
    }

    /// <summary>
    /// Writes <paramref name="body"/> as a new part and commits it if the upload still has the size read in
    /// <paramref name="session"/>. A part of the wrong length, or one that lost the race, is deleted and the
    /// committed state is left as it was. Returns the session as committed, with the hash of all its bytes.
    /// </summary>
    private async Task<(UploadSession Committed, IncrementalHash Hash)> WriteAsync(UploadSession session, Stream body, long? expectedLength, CancellationToken cancellationToken)
    {
        try
        {
            return await WritePartAsync(session, body, expectedLength, cancellationToken);
        }
        catch (KeyNotFoundException)
        {
            throw await ForgetLostAsync(session);
        }
    }

    private async Task<(UploadSession Committed, IncrementalHash Hash)> WritePartAsync(UploadSession session, Stream body, long? expectedLength,
        CancellationToken cancellationToken)
    {
        var hash = hashes.Take(session.Id, session.Size) ?? await StagedBytes.HashAsync(blobs, session, Digest.Sha256, cancellationToken);
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
                // Gone: a cancel or a completion took the session. Still there: another writer committed first.
                throw await metadata.Uploads.GetAsync(session.Repository, session.Id, cancellationToken) is null
                    ? Unknown(session.Id)
                    : new RegistryException(RegistryErrorCode.RangeInvalid, "upload was changed concurrently", new { session.Id });
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

    /// <summary>Takes the session (see the class remarks) and publishes its verified parts as <paramref name="digest"/>.</summary>
    private async Task PublishAsync(UploadSession session, Digest digest, CancellationToken cancellationToken)
    {
        hashes.Forget(session.Id);
        if (!await metadata.Uploads.DeleteAsync(session.Repository, session.Id, cancellationToken))
        {
            // A cancel, the purge or a racing completion took it first. The bytes were verified, so a blob of this
            // digest (the racing completion's, or anyone's) holds exactly them and may be linked.
            _ = await blobs.StatAsync(digest, cancellationToken) ?? throw Unknown(session.Id);
            return;
        }
        try
        {
            await blobs.PublishUploadAsync(session.Id, session.Parts, digest, cancellationToken);
        }
        catch (KeyNotFoundException)
        {
            await blobs.DeleteUploadAsync(session.Id, CancellationToken.None);
            _ = await blobs.StatAsync(digest, cancellationToken) ?? throw Unknown(session.Id);
        }
        catch
        {
            // Nothing was published: the session goes back, so that the client may retry the same PUT (a 503 says so).
            await RestoreQuietlyAsync(session);
            throw;
        }
    }

    /// <summary>Forgets the session and, if this call took it, its staged bytes (see the class remarks).</summary>
    private async Task DiscardAsync(UploadSession session)
    {
        hashes.Forget(session.Id);
        // Not the request's token: a refused upload must not leave staged bytes behind when the client goes away.
        if (await metadata.Uploads.DeleteAsync(session.Repository, session.Id, CancellationToken.None))
        {
            await blobs.DeleteUploadAsync(session.Id, CancellationToken.None);
        }
    }

    /// <summary>The session's staged bytes are gone; it can never complete, so it is forgotten. Returns the 404 to throw.</summary>
    private async Task<RegistryException> ForgetLostAsync(UploadSession session)
    {
        await DiscardAsync(session);
        return Unknown(session.Id);
    }

    private async Task RestoreQuietlyAsync(UploadSession session)
    {
        try
        {
            await metadata.Uploads.CreateAsync(session, CancellationToken.None);
        }
        catch (Exception)
        {
            // The client hears the publishing failure; without its session it starts the upload again.
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

    private async Task<Digest> RehashAsync(UploadSession session, string algorithm, CancellationToken cancellationToken)
    {
        try
        {
            using var hash = await StagedBytes.HashAsync(blobs, session, algorithm, cancellationToken);
            return Digest.FromHash(algorithm, hash.GetCurrentHash());
        }
        catch (KeyNotFoundException)
        {
            throw await ForgetLostAsync(session);
        }
    }

    private static void RequireId(string id)
    {
        if (!UploadId().IsMatch(id))
        {
            throw Unknown(id);
        }
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static RegistryException Unknown(string id) =>
        new(RegistryErrorCode.BlobUploadUnknown, "blob upload unknown to registry", new { uuid = id });

    [GeneratedRegex(@"^[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex UploadId();
}
