using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;

namespace Dockyard.Core.Appc;

/// <summary>
/// The staged bytes of an acpush push: the ACI under the push's id, its signature under
/// <see cref="AciUpload.SignatureUploadId"/>. As for blob uploads, whoever forgets the push's record owns them, so a
/// completion, an abort and the purge never work on the same bytes; whoever does also ends its
/// <see cref="AciPushReservation"/>.
/// </summary>
internal static class AciPushStaging
{
    /// <summary>Forgets the push and, if this call did, removes its staged bytes; false when it was already gone.</summary>
    public static async Task<bool> DiscardAsync(IAciStore store, IUploadSessionStore sessions, IBlobStore blobs, AciUpload upload, CancellationToken cancellationToken)
    {
        if (!await store.DeleteUploadAsync(upload.Repository, upload.Id, cancellationToken))
        {
            return false;
        }
        await AciPushReservation.ReleaseAsync(sessions, upload);
        await DeleteAsync(blobs, upload, cancellationToken);
        return true;
    }

    /// <summary>Removes the staged bytes of a push whose record the caller already forgot.</summary>
    public static async Task DeleteAsync(IBlobStore blobs, AciUpload upload, CancellationToken cancellationToken)
    {
        await blobs.DeleteUploadAsync(upload.Id, cancellationToken);
        await blobs.DeleteUploadAsync(upload.SignatureUploadId, cancellationToken);
    }
}
