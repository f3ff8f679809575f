using Dockyard.Core.Appc;
using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;

namespace Dockyard.Core.Uploads;

/// <summary>How many of each kind one purge removed.</summary>
public sealed record UploadPurgeResult(int Sessions, int Pushes, int OrphanStaging)
{
    public int Total => Sessions + Pushes + OrphanStaging;
}

/// <summary>
/// Removes what clients and crashes abandon, for a host to run on a schedule: blob upload sessions and acpush pushes
/// started more than the expiry ago, then staged bytes that no session or push owns and nothing wrote to for the
/// expiry (left by a crash between taking a session and publishing it, a failed clean-up, a restart mid-push or a
/// deleted repository). A session or push is never younger than its staged bytes, so the staging of one that is not
/// expired is never older than the expiry: an upload in flight keeps its bytes. Several nodes may purge at once:
/// removing something twice is harmless.
/// </summary>
public sealed class UploadPurge(IBlobStore blobs, IMetadataStore metadata, IAciStore pushes, UploadHashCache hashes, TimeProvider time)
{
    private const int Batch = 100;

    public async Task<UploadPurgeResult> PurgeAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - maxAge;
        var sessions = await InBatchesAsync(() => metadata.Uploads.ListStartedBeforeAsync(before, Batch, cancellationToken),
            session => DiscardSessionAsync(session, cancellationToken));
        var abandoned = await InBatchesAsync(() => pushes.ListUploadsStartedBeforeAsync(before, Batch, cancellationToken),
            push => AciPushStaging.DiscardAsync(pushes, metadata.Uploads, blobs, push, cancellationToken));
        var orphans = 0;
        foreach (var id in await blobs.ListUploadsWrittenBeforeAsync(before, cancellationToken))
        {
            await blobs.DeleteUploadAsync(id, cancellationToken);
            orphans++;
        }
        return new UploadPurgeResult(sessions, abandoned, orphans);
    }

    // A session whose record another request removed first is that request's to clean up (see BlobUploadService).
    private async Task<bool> DiscardSessionAsync(UploadSession session, CancellationToken cancellationToken)
    {
        hashes.Forget(session.Id);
        if (!await metadata.Uploads.DeleteAsync(session.Repository, session.Id, cancellationToken))
        {
            return false;
        }
        await blobs.DeleteUploadAsync(session.Id, cancellationToken);
        return true;
    }

    /// <summary>Discards listed items until a listing comes back short; returns how many this call discarded.</summary>
    private static async Task<int> InBatchesAsync<T>(Func<Task<IReadOnlyList<T>>> list, Func<T, Task<bool>> discard)
    {
        var discarded = 0;
        IReadOnlyList<T> batch;
        do
        {
            batch = await list();
            foreach (var item in batch)
            {
                discarded += await discard(item) ? 1 : 0;
            }
        }
        while (batch.Count == Batch);
        return discarded;
    }
}
