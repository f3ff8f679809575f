using System.Text;
using Dockyard.Core.Blobs;
using Dockyard.Core.Bodies;
using Dockyard.Core.Collection;
using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Core.Appc;

/// <summary>The answer to an acpush completion: success, or the server's reason for refusing.</summary>
public sealed record AciPushResult(bool Success, string? ServerReason, AciImage? Image);

/// <summary>
/// The acpush protocol: a push is started for one file name, its manifest, signature and ACI are uploaded (the
/// bytes staged in the blob store, never in memory), and completion validates the ACI, checks the signature against
/// the repository's trusted keys, and only then publishes both blobs and the ACI record. A refused or aborted push
/// leaves nothing behind. A completion takes the push (forgets its record) before it publishes, so racing requests on
/// one push, or staged bytes lost to a crash, answer "push unknown" instead of failing (see <see cref="AciPushStaging"/>).
/// Until it ends, a push counts against <c>[quota]</c> like a blob upload (<see cref="AciPushReservation"/>).
/// </summary>
public sealed class AciPushService(IBlobStore blobs, IAciStore store, IMetadataStore metadata, AciKeyRing keys, IAciSignatureVerifier verifier, BlobLinker linker,
    TimeProvider time)
{
    private const int MaxSignatureBytes = 64 * 1024;

    /// <param name="client">Who starts it (<see cref="Quotas.UploadAdmission.ClientKey"/>), counted for the per-client cap on unfinished uploads.</param>
    /// <exception cref="RegistryException">CONFLICT when that version/os/arch is already published.</exception>
    public async Task<AciUpload> StartAsync(RepositoryName repository, AciFileName file, string? client, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(repository, file.Version, file.Os, file.Arch, cancellationToken) is not null)
        {
            throw new RegistryException(RegistryErrorCode.Conflict, "this ACI version is already published", new { file = file.Value });
        }
        var upload = new AciUpload(Guid.NewGuid().ToString("N"), repository, file, null, null, null, time.GetUtcNow());
        await blobs.CreateUploadAsync(upload.Id, cancellationToken);
        await blobs.CreateUploadAsync(upload.SignatureUploadId, cancellationToken);
        await AciPushReservation.CreateAsync(metadata.Uploads, upload, client, cancellationToken);
        await store.TryCreateUploadAsync(upload, cancellationToken);
        return upload;
    }

    /// <param name="client">The caller (<see cref="Quotas.UploadAdmission.ClientKey"/>): a push another account started is
    /// unknown to them, as its blob uploads are (<see cref="Quotas.UploadAdmission.MayContinue"/>).</param>
    public async Task<AciUpload> GetAsync(RepositoryName repository, string id, string? client, CancellationToken cancellationToken)
    {
        var upload = (id.Length == 32 && id.All(char.IsAsciiHexDigitLower) ? await store.GetUploadAsync(repository, id, cancellationToken) : null)
            ?? throw Unknown(id);
        return client is null || await AciPushReservation.OpenerAsync(metadata.Uploads, upload, cancellationToken) is not { } opener
            || Quotas.UploadAdmission.MayContinue(opener, client)
            ? upload
            : throw Unknown(id);
    }

    public async Task PutManifestAsync(RepositoryName repository, string id, Stream body, string? client, CancellationToken cancellationToken)
    {
        var upload = await GetAsync(repository, id, client, cancellationToken);
        var manifest = Encoding.UTF8.GetString((await BoundedBody.ReadAsync(body, null, AciArchive.MaxManifestBytes, "an ACI manifest", cancellationToken)).Span);
        if (!await store.TryUpdateUploadAsync(upload, upload with { Manifest = manifest }, cancellationToken))
        {
            throw await ChangedAsync(upload, cancellationToken);
        }
    }

    public Task PutAciAsync(RepositoryName repository, string id, Stream body, string? client, CancellationToken cancellationToken) =>
        PutPartAsync(repository, id, body, signature: false, client, cancellationToken);

    public Task PutSignatureAsync(RepositoryName repository, string id, Stream body, string? client, CancellationToken cancellationToken) =>
        PutPartAsync(repository, id, body, signature: true, client, cancellationToken);

    /// <summary>Completes the push as the client reports it: validates and publishes on success, aborts otherwise.</summary>
    public async Task<AciPushResult> CompleteAsync(RepositoryName repository, string id, bool clientSuccess, string? clientReason,
        IReadOnlyCollection<string> expectedNames, string? client, CancellationToken cancellationToken)
    {
        var upload = await GetAsync(repository, id, client, cancellationToken);
        try
        {
            return await CompleteAsync(upload, clientSuccess, clientReason, expectedNames, cancellationToken);
        }
        finally
        {
            await AciPushReservation.ReleaseIfEndedAsync(store, metadata.Uploads, upload);
        }
    }

    private async Task<AciPushResult> CompleteAsync(AciUpload upload, bool clientSuccess, string? clientReason, IReadOnlyCollection<string> expectedNames,
        CancellationToken cancellationToken)
    {
        try
        {
            if (!clientSuccess)
            {
                throw AciArchive.Refuse($"the client reported a failure: {clientReason}");
            }
            var image = await PublishAsync(upload, expectedNames, cancellationToken);
            return new AciPushResult(true, null, image);
        }
        catch (RegistryException e)
        {
            // Not the request's token: a refused push must not leave staged bytes behind when the client goes away.
            await AciPushStaging.DiscardAsync(store, metadata.Uploads, blobs, upload, CancellationToken.None);
            return new AciPushResult(false, e.Message, null);
        }
    }

    private async Task<AciImage> PublishAsync(AciUpload upload, IReadOnlyCollection<string> expectedNames, CancellationToken cancellationToken)
    {
        var aciPart = upload.AciPart ?? throw AciArchive.Refuse("the ACI wasn't uploaded");
        var signaturePart = upload.SignaturePart ?? throw AciArchive.Refuse("the signature wasn't uploaded");
        var inspection = await ReadStagedAsync(upload, upload.Id, aciPart, AciArchive.InspectAsync, cancellationToken);
        var name = AciManifestCheck.Validate(inspection.Manifest, expectedNames, upload.File);
        var signature = await ReadStagedAsync(upload, upload.SignatureUploadId, signaturePart, AciArchive.ReadSmallAsync, cancellationToken);
        var trusted = await keys.GetAsync(upload.Repository, cancellationToken);
        if (trusted.Count == 0)
        {
            throw AciArchive.Refuse($"no OpenPGP public key is trusted for {upload.Repository}: add one with POST /appc/{upload.Repository}/pubkeys");
        }
        var check = await ReadStagedAsync(upload, upload.Id, aciPart,
            (staged, ct) => verifier.VerifyAsync(trusted.Select(Encoding.ASCII.GetBytes).ToList(), staged, signature, ct), cancellationToken);
        if (!check.IsValid)
        {
            throw new RegistryException(RegistryErrorCode.Denied, $"the signature of {name} does not verify: {check.Reason}");
        }
        var signatureDigest = Digest.Compute(signature);
        // Taking the push makes this the only request that publishes or removes its staged bytes from here on.
        if (!await store.DeleteUploadAsync(upload.Repository, upload.Id, cancellationToken))
        {
            throw Unknown(upload.Id);
        }
        try
        {
            await blobs.PublishUploadAsync(upload.Id, [aciPart], inspection.Digest, cancellationToken);
            await blobs.PublishUploadAsync(upload.SignatureUploadId, [signaturePart], signatureDigest, cancellationToken);
        }
        catch (Exception e)
        {
            // The push is this request's now: a failed publish must not leave its staged bytes behind.
            await AciPushStaging.DeleteAsync(blobs, upload, CancellationToken.None);
            if (e is KeyNotFoundException)
            {
                throw Unknown(upload.Id);
            }
            throw;
        }
        await linker.LinkAsync(upload.Repository, inspection.Digest, inspection.Size, cancellationToken);
        await linker.LinkAsync(upload.Repository, signatureDigest, signature.Length, cancellationToken);
        var image = new AciImage(upload.Repository, upload.File.Version, upload.File.Os, upload.File.Arch, inspection.Digest, inspection.Size,
            signatureDigest, inspection.ImageId, Encoding.UTF8.GetString(inspection.Manifest), time.GetUtcNow());
        if (!await store.TryAddAsync(image, cancellationToken))
        {
            throw new RegistryException(RegistryErrorCode.Conflict, $"{upload.File.Value} is already published");
        }
        return image;
    }

    private async Task PutPartAsync(RepositoryName repository, string id, Stream body, bool signature, string? client, CancellationToken cancellationToken)
    {
        var upload = await GetAsync(repository, id, client, cancellationToken);
        if (signature)
        {
            // Small enough to hold, and read so: a signature is refused at its limit, not after any size has been staged.
            body = new MemoryStream((await BoundedBody.ReadAsync(body, null, MaxSignatureBytes, "an ACI signature", cancellationToken)).ToArray(), writable: false);
        }
        var stagingId = signature ? upload.SignatureUploadId : upload.Id;
        var partId = Guid.NewGuid().ToString("N");
        var committed = false;
        try
        {
            long written;
            try
            {
                written = await blobs.WriteUploadPartAsync(stagingId, partId, body, cancellationToken);
            }
            catch (KeyNotFoundException)
            {
                // Its staged bytes are gone (a crash, or a completion took the push): it can never complete.
                await AciPushStaging.DiscardAsync(store, metadata.Uploads, blobs, upload, CancellationToken.None);
                throw Unknown(id);
            }
            if (signature && written > MaxSignatureBytes)
            {
                throw new RegistryException(RegistryErrorCode.SizeInvalid, $"a signature is at most {MaxSignatureBytes} bytes");
            }
            var part = new UploadPart(partId, written);
            var updated = signature ? upload with { SignaturePart = part } : upload with { AciPart = part };
            if (!await store.TryUpdateUploadAsync(upload, updated, cancellationToken))
            {
                throw await ChangedAsync(upload, cancellationToken);
            }
            committed = true;
            await AciPushReservation.AddAsync(metadata.Uploads, upload, part);
            if ((signature ? upload.SignaturePart : upload.AciPart) is { } replaced)
            {
                await blobs.DeleteUploadPartAsync(stagingId, replaced.Id, CancellationToken.None);
            }
        }
        finally
        {
            if (!committed)
            {
                await blobs.DeleteUploadPartAsync(stagingId, partId, CancellationToken.None);
            }
        }
    }

    /// <summary>Reads a staged part; its bytes gone (a crash, or a racing completion took the push) make the push unknown.</summary>
    private async Task<T> ReadStagedAsync<T>(AciUpload upload, string stagingId, UploadPart part, Func<Stream, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var staged = await blobs.OpenUploadAsync(stagingId, [part], cancellationToken);
            return await read(staged, cancellationToken);
        }
        catch (KeyNotFoundException)
        {
            throw Unknown(upload.Id);
        }
    }

    // Gone: a completion or an abort took it. Still there: another request changed it first.
    private async Task<RegistryException> ChangedAsync(AciUpload upload, CancellationToken cancellationToken) =>
        await store.GetUploadAsync(upload.Repository, upload.Id, cancellationToken) is null ? Unknown(upload.Id) : Changed(upload.Id);

    private static RegistryException Unknown(string id) => new(RegistryErrorCode.BlobUploadUnknown, "ACI push unknown", new { upload = id });

    private static RegistryException Changed(string id) =>
        new(RegistryErrorCode.Conflict, "the ACI push was changed concurrently", new { upload = id });
}
