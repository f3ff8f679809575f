using System.Collections.Concurrent;
using Dockyard.Core.Blobs;
using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.Core.P2P;

/// <summary>
/// A blob's piece hashes as seen through a repository: recorded in <see cref="IPeerDistributionStore"/> after the first
/// request computed them by streaming the stored blob once. Concurrent first requests on one node share that read.
/// </summary>
public sealed class BlobPieceService(BlobService blobs, IPeerDistributionStore store, PeerTrackerOptions options)
{
    private readonly ConcurrentDictionary<Digest, Lazy<Task<BlobPieces>>> computing = new();

    /// <exception cref="RegistryException">BLOB_UNKNOWN when the repository does not hold the blob.</exception>
    public async Task<BlobPieces> GetAsync(RepositoryName repository, Digest blob, CancellationToken cancellationToken)
    {
        var size = await blobs.StatAsync(repository, blob, cancellationToken);
        if (await store.GetPiecesAsync(blob, options.PieceSize, cancellationToken) is { } known && known.Size == size)
        {
            return known;
        }
        var work = computing.GetOrAdd(blob, b => new Lazy<Task<BlobPieces>>(() => ComputeAsync(b, size)));
        try
        {
            return await work.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (work.Value.IsCompleted)
            {
                computing.TryRemove(new KeyValuePair<Digest, Lazy<Task<BlobPieces>>>(blob, work));
            }
        }
    }

    // Not tied to one request's cancellation: others may be waiting for the same read.
    private async Task<BlobPieces> ComputeAsync(Digest blob, long size)
    {
        await using var content = await blobs.Store.OpenReadAsync(blob, 0, CancellationToken.None)
            ?? throw new RegistryException(RegistryErrorCode.BlobUnknown, "blob unknown to registry", new { digest = blob.Value });
        var pieces = await PieceHasher.ComputeAsync(content, blob, size, options.PieceSize, CancellationToken.None);
        await store.PutPiecesAsync(pieces, CancellationToken.None);
        return pieces;
    }
}
