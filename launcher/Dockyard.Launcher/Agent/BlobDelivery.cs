using Dockyard.Core.Names;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// Serves one blob to the engine: plans the download (piece hashes, blob token, the swarm), then has
/// <see cref="AgentOptions.Parallelism"/> workers fetch pieces in the <see cref="PieceSchedule"/>'s order into the
/// cache while the pieces are written to the engine in order as they arrive. When the registry gives no piece hashes
/// (the tracker's store is down, an old registry) the blob is streamed from the registry as a plain pull.
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
        var swarm = new SwarmView(tracker, repository, blob, options.AgentId, announcer.Address, options.PeerRefresh, TimeProvider.System, logger);
        string? token = null;
        try
        {
            token = await tracker.GetBlobTokenAsync(repository, blob, cancellationToken);
            // Announced before asking for peers (peers get "not held" for what it lacks), so agents starting together find each other.
            await announcer.HoldAsync(repository, blob);
            swarm.Update(await tracker.GetPeersAsync(repository, blob, options.AgentId, cancellationToken));
        }
        catch (LaunchException e)
        {
            // No token (a standalone registry) or no peers (the tracker's store is down): the registry serves every piece.
            AgentLog.TrackerUnavailable(logger, blob.Value, e.Message);
        }
        return new BlobDownload(repository, pieces, token, swarm);
    }

    /// <summary>Writes every piece to <paramref name="output"/> in order.</summary>
    public async Task WriteAsync(BlobDownload download, Stream output, CancellationToken cancellationToken)
    {
        var count = download.Pieces.Count;
        var (peersBefore, registryBefore) = (stats.BytesFromPeers, stats.BytesFromRegistry);
        var arrived = Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var schedule = new PieceSchedule(count, download.Swarm);
        var workers = Enumerable.Range(0, Math.Min(options.Parallelism, count)).Select(_ => FetchIntoCacheAsync(download, schedule, arrived, stop.Token)).ToArray();
        try
        {
            for (var index = 0; index < count; index++)
            {
                await arrived[index].Task.WaitAsync(cancellationToken);
                // Read back from the cache (checked again); fetched anew only if the cache bound has already evicted it.
                await output.WriteAsync(await fetcher.FetchAsync(download, index, cancellationToken), cancellationToken);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }
        AgentLog.Delivered(logger, download.Blob.Value, count, stats.BytesFromPeers - peersBefore, stats.BytesFromRegistry - registryBefore);
    }

    /// <summary>One worker: fetches the schedule's next piece until none is left; never throws (the writer sees failures).</summary>
    private async Task FetchIntoCacheAsync(BlobDownload download, PieceSchedule schedule, TaskCompletionSource[] arrived, CancellationToken cancellationToken)
    {
        while (schedule.TryTake(out var index))
        {
            try
            {
                await fetcher.FetchAsync(download, index, cancellationToken);
                arrived[index].TrySetResult();
            }
            catch (Exception e)
            {
                // The others go on: the writer stops at the first failed piece it needs and cancels them.
                arrived[index].TrySetException(e);
            }
        }
    }
}
