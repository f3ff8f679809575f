using Dockyard.Core.Metadata;

namespace Dockyard.Core.Appc;

/// <summary>
/// What an unfinished acpush push holds, recorded as a blob upload session so that <c>[quota]</c> counts it as it counts
/// one: its staged bytes against the namespace's storage quota, the push against its client's cap on unfinished uploads.
/// The record is kept under the push's <see cref="AciUpload.SignatureUploadId"/>, which the V2 door cannot address (its
/// upload ids are 32 hex digits), and lists one part per staged ACI or signature (a replaced one still counts until the
/// push ends). It goes when the push ends: completed, aborted or purged. A blob-upload purge that takes it first removes
/// the signature's staging of a push as old as the purge's expiry, which the acpush purge then removes anyway.
/// </summary>
internal static class AciPushReservation
{
    public static Task CreateAsync(IUploadSessionStore sessions, AciUpload upload, string? client, CancellationToken cancellationToken) =>
        sessions.CreateAsync(new UploadSession(upload.SignatureUploadId, upload.Repository, [], upload.StartedAt, client), cancellationToken);

    /// <summary>Counts a staged part. Not cancellable: bytes staged by a client that hangs up must still count.</summary>
    public static async Task AddAsync(IUploadSessionStore sessions, AciUpload upload, UploadPart part)
    {
        // Parts of one push staged at once race on the committed size; each loser reads it again (a client racing itself
        // more often than that loses the count of one part). Gone: the push is ending.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (await sessions.GetAsync(upload.Repository, upload.SignatureUploadId, CancellationToken.None) is not { } reservation
                || await sessions.TryAdvanceAsync(upload.Repository, upload.SignatureUploadId, reservation.Size, part, CancellationToken.None))
            {
                return;
            }
        }
    }

    /// <summary>Who started the push (<see cref="UploadSession.Client"/>); null when no one is recorded or the reservation is gone.</summary>
    public static async Task<string?> OpenerAsync(IUploadSessionStore sessions, AciUpload upload, CancellationToken cancellationToken) =>
        (await sessions.GetAsync(upload.Repository, upload.SignatureUploadId, cancellationToken))?.Client;

    public static Task ReleaseAsync(IUploadSessionStore sessions, AciUpload upload) =>
        sessions.DeleteAsync(upload.Repository, upload.SignatureUploadId, CancellationToken.None);

    /// <summary>Releases the reservation once the push's record is gone (a completion ended it); keeps it while the push may still be retried.</summary>
    public static async Task ReleaseIfEndedAsync(IAciStore store, IUploadSessionStore sessions, AciUpload upload)
    {
        if (await store.GetUploadAsync(upload.Repository, upload.Id, CancellationToken.None) is null)
        {
            await ReleaseAsync(sessions, upload);
        }
    }
}
