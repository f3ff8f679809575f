using System.Runtime.CompilerServices;
using Dockyard.Core.Names;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// Serves one blob to the engine: plans the download (piece hashes, blob token, the swarm and its peers' bitfields),
/// then has <see cref="AgentOptions.Parallelism"/> workers fetch the pieces the <see cref="PiecePicker"/> hands out
/// into the cache while the pieces are written to the engine in order as they arrive. When the registry gives no piece hashes
/// (the tracker's store is down, an old registry) the blob is streamed from the registry as a plain pull.
/// Refusals (no permission, unknown blob) are never worked around: they reach the engine.
/// </summary>
internal sealed class BlobDelivery(TrackerClient tracker, PieceFetcher fetcher, PeerPieceClient peers, PeerScores scores, PieceCache cache, Announcer announcer,
    Slots registryTurns, AgentOptions options, AgentStats stats, ILogger logger)
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
        var swarm = new SwarmView(tracker, scores, repository, blob, options.AgentId, announcer.Address, options.PeerRefresh, TimeProvider.System, logger);
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
        var holdings = new SwarmHoldings(swarm, peers, scores, stats, blob, pieces.Count, token, TimeProvider.System, logger);
        // Before the first pick: what the peers already hold or are fetching is not fetched from the registry again.
        await holdings.RefreshNowAsync(cancellationToken);
        return new BlobDownload(repository, pieces, token, holdings);
    }

    /// <summary>Writes every piece to <paramref name="output"/> in order.</summary>
    public async Task WriteAsync(BlobDownload download, Stream output, CancellationToken cancellationToken)
    {
        var count = download.Pieces.Count;
        var (peersBefore, registryBefore) = (stats.BytesFromPeers, stats.BytesFromRegistry);
        var arrived = Enumerable.Range(0, count).Select(_ => new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var writing = new StrongBox<int>(0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Jittered, so agents that find the swarm stalled at one moment do not all reach the registry together.
        var picker = new PiecePicker(count, download.Holdings, registryTurns, options.Parallelism, options.PeerWait * (1 + Random.Shared.NextDouble()), TimeProvider.System);
        foreach (var index in cache.PiecesOf(download.Blob).Where(i => i < count))
        {
            // Kept from before (a restart, an earlier pull): the writer reads it back, checked, from the cache.
            picker.Skip(index);
            arrived[index].TrySetResult(null);
        }
        var workers = Enumerable.Range(0, Math.Min(options.Parallelism, count)).Select(_ => FetchIntoCacheAsync(download, picker, arrived, writing, stop.Token)).ToArray();
        try
        {
            for (var index = 0; index < count; index++)
            {
                Volatile.Write(ref writing.Value, index);
                // Far pieces are read back from the cache (checked again), fetched anew only if its bound evicted them.
                var bytes = await arrived[index].Task.WaitAsync(cancellationToken) ?? await fetcher.FetchAsync(download, index, cancellationToken);
                arrived[index] = Done;
                await output.WriteAsync(bytes, cancellationToken);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }
        AgentLog.Delivered(logger, download.Blob.Value, count, stats.BytesFromPeers - peersBefore, stats.BytesFromRegistry - registryBefore);
    }

    private static readonly TaskCompletionSource<byte[]?> Done = new();

    /// <summary>
    /// One worker: fetches the picker's next piece until none is left and hands it to the writer, the bytes too when
    /// the writer is near (so memory holds a few pieces, not the blob). A piece its holders did not send goes back to
    /// the picker. Never throws: the writer sees failures.
    /// </summary>
    private async Task FetchIntoCacheAsync(BlobDownload download, PiecePicker picker, TaskCompletionSource<byte[]?>[] arrived, StrongBox<int> writing,
        CancellationToken cancellationToken)
    {
        try
        {
            while (await picker.NextAsync(cancellationToken) is { } pick)
            {
                var index = pick.Index;
                try
                {
                    var bytes = pick.FromRegistry ? await fetcher.FromRegistryAsync(download, index, cancellationToken)
                        : (await fetcher.FromHoldersAsync(download, index, pick.Holders, cancellationToken)).Bytes;
                    picker.Finish(pick, arrived: bytes is not null);
                    if (bytes is not null)
                    {
                        arrived[index].TrySetResult(index - Volatile.Read(ref writing.Value) < 2 * options.Parallelism ? bytes : null);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The others go on: the writer stops at the first failed piece it needs and cancels them.
                    picker.Finish(pick, arrived: true);
                    arrived[index].TrySetException(e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The writer is done (or failed) and stopped the workers.
        }
    }
}
