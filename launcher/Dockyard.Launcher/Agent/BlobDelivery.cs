using Dockyard.Core.Names;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// Serves one blob to the engine: plans the download (piece hashes, blob token, peers), then writes the pieces in
/// order while up to <see cref="AgentOptions.Parallelism"/> of them are fetched at once. When the registry gives no
/// piece hashes (the tracker's store is down, an old registry) the blob is streamed from the registry as a plain pull.
/// Refusals (no permission, unknown blob) are never worked around: they reach the engine.
/// </summary>
internal sealed class BlobDelivery(TrackerClient tracker, PieceFetcher fetcher, Announcer announcer, AgentOptions options, AgentStats stats, ILogger logger)
{
    /// <summary>The download plan; null when the blob must be streamed from the registry instead.</summary>
    public async Task<BlobDownload?> PlanAsync(RepositoryName repository, Digest blob, CancellationToken cancellationToken)
    {
        Core.P2P.BlobPieces pieces;
        try
        {
            pieces = await tracker.GetPiecesAsync(repository, blob, cancellationToken);
        }
        catch (LaunchException e) when (e.Failure == LaunchFailure.Registry)
        {
            AgentLog.TrackerUnavailable(logger, blob.Value, e.Message);
            return null;
        }
        string? token = null;
        IReadOnlyList<string> peers = [];
        try
        {
            token = await tracker.GetBlobTokenAsync(repository, blob, cancellationToken);
            peers = await tracker.GetPeersAsync(repository, blob, options.AgentId, cancellationToken);
        }
        catch (LaunchException e)
        {
            // No token (a standalone registry) or no peers (the tracker's store is down): the registry serves every piece.
            AgentLog.TrackerUnavailable(logger, blob.Value, e.Message);
        }
        if (token is not null)
        {
            announcer.Hold(repository, blob);
        }
        return new BlobDownload(repository, pieces, token, peers);
    }

    /// <summary>Writes every piece to <paramref name="output"/> in order.</summary>
    public async Task WriteAsync(BlobDownload download, Stream output, CancellationToken cancellationToken)
    {
        var count = download.Pieces.Count;
        var (peersBefore, registryBefore) = (stats.BytesFromPeers, stats.BytesFromRegistry);
        var window = new Queue<Task<byte[]>>();
        var next = 0;
        for (var written = 0; written < count; written++)
        {
            while (next < count && window.Count < options.Parallelism)
            {
                window.Enqueue(fetcher.FetchAsync(download, next++, cancellationToken));
            }
            var bytes = await window.Dequeue();
            await output.WriteAsync(bytes, cancellationToken);
        }
        AgentLog.Delivered(logger, download.Blob.Value, count, stats.BytesFromPeers - peersBefore, stats.BytesFromRegistry - registryBefore);
    }
}
