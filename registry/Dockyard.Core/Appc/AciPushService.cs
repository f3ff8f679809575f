using System.Text;
using Dockyard.Core.Blobs;
using Dockyard.Core.Bodies;
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
/// leaves nothing behind.
/// </summary>
public sealed class AciPushService(IBlobStore blobs, IMetadataStore metadata, IAciStore store, AciKeyRing keys, IAciSignatureVerifier verifier, TimeProvider time)
{
    private const int MaxSignatureBytes = 64 * 1024;

    /// <exception cref="RegistryException">CONFLICT when that version/os/arch is already published.</exception>
    public async Task<AciUpload> StartAsync(RepositoryName repository, AciFileName file, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(repository, file.Version, file.Os, file.Arch, cancellationToken) is not null)
        {
            throw new RegistryException(RegistryErrorCode.Conflict, "this ACI version is already published", new { file = file.Value });
        }
        var upload = new AciUpload(Guid.NewGuid().ToString("N"), repository, file, null, null, null, time.GetUtcNow());
        await blobs.CreateUploadAsync(upload.Id, cancellationToken);
        await blobs.CreateUploadAsync(upload.SignatureUploadId, cancellationToken);
        await store.TryCreateUploadAsync(upload, cancellationToken);
        return upload;
    }

    public async Task<AciUpload> GetAsync(RepositoryName repository, string id, CancellationToken cancellationToken) =>
        (id.Length == 32 && id.All(char.IsAsciiHexDigitLower) ? await store.GetUploadAsync(repository, id, cancellationToken) : null)
        ?? throw new RegistryException(RegistryErrorCode.BlobUploadUnknown, "ACI push unknown", new { upload = id });

    public async Task PutManifestAsync(RepositoryName repository, string id, Stream body, CancellationToken cancellationToken)
    {
        var upload = await GetAsync(repository, id, cancellationToken);
        var manifest = Encoding.UTF8.GetString((await BoundedBody.ReadAsync(body, null, AciArchive.MaxManifestBytes, "an ACI manifest", cancellationToken)).Span);
        if (!await store.TryUpdateUploadAsync(upload, upload with { Manifest = manifest }, cancellationToken))
        {
            throw Changed(id);
        }
    }

    public Task PutAciAsync(RepositoryName repository, string id, Stream body, CancellationToken cancellationToken) =>
        PutPartAsync(repository, id, body, signature: false, cancellationToken);

    public Task PutSignatureAsync(RepositoryName repository, string id, Stream body, CancellationToken cancellationToken) =>
        PutPartAsync(repository, id, body, signature: true, cancellationToken);

    /// <summary>Completes the push as the client reports it: validates and publishes on success, aborts otherwise.</summary>
    public async Task<AciPushResult> CompleteAsync(RepositoryName repository, string id, bool clientSuccess, string? clientReason,
        IReadOnlyCollection<string> expectedNames, CancellationToken cancellationToken)
    {
        var upload = await GetAsync(repository, id, cancellationToken);
        try
        {
            if (!clientSuccess)
            {
                throw AciArchive.Refuse($"the client reported a failure: {clientReason}");
            }
            var image = await PublishAsync(upload, expectedNames, cancellationToken);
            await store.DeleteUploadAsync(repository, id, cancellationToken);
            return new AciPushResult(true, null, image);
        }
        catch (RegistryException e)
        {
            await AbortAsync(upload);
            return new AciPushResult(false, e.Message, null);
        }
    }

    private async Task<AciImage> PublishAsync(AciUpload upload, IReadOnlyCollection<string> expectedNames, CancellationToken cancellationToken)
    {
        var aciPart = upload.AciPart ?? throw AciArchive.Refuse("the ACI wasn't uploaded");
        var signaturePart = upload.SignaturePart ?? throw AciArchive.Refuse("the signature wasn't uploaded");
        AciInspection inspection;
        await using (var staged = await blobs.OpenUploadAsync(upload.Id, [aciPart], cancellationToken))
        {
            inspection = await AciArchive.InspectAsync(staged, cancellationToken);
        }
        var name = AciManifestCheck.Validate(inspection.Manifest, expectedNames, upload.File);
        byte[] signature;
        await using (var staged = await blobs.OpenUploadAsync(upload.SignatureUploadId, [signaturePart], cancellationToken))
        {
            signature = await AciArchive.ReadSmallAsync(staged, cancellationToken);
        }
        var trusted = await keys.GetAsync(upload.Repository, cancellationToken);
        if (trusted.Count == 0)
        {
            throw AciArchive.Refuse($"no OpenPGP public key is trusted for {upload.Repository}: add one with POST /appc/{upload.Repository}/pubkeys");
        }
        AciSignatureCheck check;
        await using (var staged = await blobs.OpenUploadAsync(upload.Id, [aciPart], cancellationToken))
        {
            check = await verifier.VerifyAsync(trusted.Select(Encoding.ASCII.GetBytes).ToList(), staged, signature, cancellationToken);
        }
        if (!check.IsValid)
        {
            throw new RegistryException(RegistryErrorCode.Denied, $"the signature of {name} does not verify: {check.Reason}");
        }
        var signatureDigest = Digest.Compute(signature);
        await blobs.PublishUploadAsync(upload.Id, [aciPart], inspection.Digest, cancellationToken);
        await blobs.PublishUploadAsync(upload.SignatureUploadId, [signaturePart], signatureDigest, cancellationToken);
        await metadata.BlobLinks.LinkAsync(upload.Repository, inspection.Digest, inspection.Size, cancellationToken);
        await metadata.BlobLinks.LinkAsync(upload.Repository, signatureDigest, signature.Length, cancellationToken);
        var image = new AciImage(upload.Repository, upload.File.Version, upload.File.Os, upload.File.Arch, inspection.Digest, inspection.Size,
            signatureDigest, inspection.ImageId, Encoding.UTF8.GetString(inspection.Manifest), time.GetUtcNow());
        if (!await store.TryAddAsync(image, cancellationToken))
        {
            throw new RegistryException(RegistryErrorCode.Conflict, $"{upload.File.Value} is already published");
        }
        return image;
    }

    private async Task PutPartAsync(RepositoryName repository, string id, Stream body, bool signature, CancellationToken cancellationToken)
    {
        var upload = await GetAsync(repository, id, cancellationToken);
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
            var written = await blobs.WriteUploadPartAsync(stagingId, partId, body, cancellationToken);
            var part = new UploadPart(partId, written);
            var updated = signature ? upload with { SignaturePart = part } : upload with { AciPart = part };
            if (!await store.TryUpdateUploadAsync(upload, updated, cancellationToken))
            {
                throw Changed(id);
            }
            committed = true;
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

    private async Task AbortAsync(AciUpload upload)
    {
        // Not the request's token: a refused push must not leave staged bytes behind when the client goes away.
        await store.DeleteUploadAsync(upload.Repository, upload.Id, CancellationToken.None);
        await blobs.DeleteUploadAsync(upload.Id, CancellationToken.None);
        await blobs.DeleteUploadAsync(upload.SignatureUploadId, CancellationToken.None);
    }

    private static RegistryException Changed(string id) =>
        new(RegistryErrorCode.Conflict, "the ACI push was changed concurrently", new { upload = id });
}
