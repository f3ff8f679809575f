using System.Diagnostics;
using System.Net;
using Dockyard.Core.P2P;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// Gets one verified piece: from the cache, else from the download's peers in random order (skipping banned ones),
/// else from the registry by a Range GET. When no peer holds the piece yet, the agent asks again for a while before
/// going to the registry: as long as <see cref="AgentOptions.PeerTimeout"/> while a peer says it is fetching the piece,
/// up to <see cref="AgentOptions.PeerWait"/> (jittered) for a piece that is another agent's share, not at all for its
/// own share or when no usable peer is left. Every piece is checked against the registry's hash before it is cached or
/// passed on; a peer that sent a corrupt one is banned and the piece fetched elsewhere, a failing peer costs only time.
/// </summary>
internal sealed class PieceFetcher(PieceCache cache, PeerPieceClient peers, PeerScores scores, TrackerClient tracker, PiecesInFlight inFlight,
    AgentOptions options, AgentStats stats, ILogger logger)
{
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromMilliseconds(250);

    public async Task<byte[]> FetchAsync(BlobDownload download, int index, CancellationToken cancellationToken)
    {
        if (await cache.ReadAsync(download.Blob, index, cancellationToken) is { } cached && PieceHasher.Matches(download.Pieces, index, cached))
        {
            return cached;
        }
        if (download.Token is { } token)
        {
            await download.Swarm.RefreshAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            // Jittered, so agents that gave up on the same piece do not all reach the registry at one moment.
            var patience = options.PeerWait * (1 + Random.Shared.NextDouble());
            while (true)
            {
                var (bytes, anyUsable, fetching) = await AskPeersAsync(download, index, token, cancellationToken);
                if (bytes is not null)
                {
                    stats.FromPeer(bytes.Length);
                    await cache.StoreAsync(download.Blob, index, bytes, cancellationToken);
                    return bytes;
                }
                var limit = fetching ? options.PeerTimeout : download.Swarm.IsMine(index) ? TimeSpan.Zero : patience;
                if (!anyUsable || Stopwatch.GetElapsedTime(started) >= limit)
                {
                    break;
                }
                await Task.Delay(AskAgainAfter, cancellationToken);
                await download.Swarm.RefreshAsync(cancellationToken);
            }
        }
        byte[] origin;
        using (inFlight.Begin(download.Blob, index))
        {
            origin = await FromRegistryAsync(download, index, cancellationToken);
        }
        stats.FromRegistry(origin.Length);
        await cache.StoreAsync(download.Blob, index, origin, cancellationToken);
        return origin;
    }

    /// <summary>One round over the usable peers: the verified bytes, else whether any peer was usable and any is fetching it.</summary>
    private async Task<(byte[]? Bytes, bool AnyUsable, bool Fetching)> AskPeersAsync(BlobDownload download, int index, string token,
        CancellationToken cancellationToken)
    {
        var order = download.Swarm.Peers.Where(scores.IsUsable).ToArray();
        Random.Shared.Shuffle(order);
        var fetching = false;
        foreach (var peer in order)
        {
            var (answer, bytes, reason) = await peers.FetchAsync(peer, download.Blob, index, download.Pieces.LengthOf(index), token, cancellationToken);
            switch (answer)
            {
                case PeerAnswer.Missing:
                    continue;
                case PeerAnswer.Fetching:
                    fetching = true;
                    continue;
                case PeerAnswer.Failed:
                    stats.PeerFailure();
                    scores.Failed(peer);
                    AgentLog.PeerFailed(logger, peer, index, download.Blob.Value, reason);
                    continue;
            }
            if (PieceHasher.Matches(download.Pieces, index, bytes))
            {
                return (bytes, true, fetching);
            }
            stats.BadPiece();
            scores.Corrupt(peer);
            AgentLog.CorruptPiece(logger, peer, index, download.Blob.Value);
        }
        return (null, order.Any(scores.IsUsable), fetching);
    }

    private async Task<byte[]> FromRegistryAsync(BlobDownload download, int index, CancellationToken cancellationToken)
    {
        var pieces = download.Pieces;
        var length = pieces.LengthOf(index);
        using var response = await tracker.OpenRangeAsync(download.Repository, download.Blob, pieces.OffsetOf(index), length, cancellationToken);
        // A registry that ignores Range answers 200 with the whole blob: only usable for the first piece.
        if (response.StatusCode != HttpStatusCode.PartialContent && index != 0)
        {
            throw new LaunchException(LaunchFailure.Registry, $"the registry answered {(int)response.StatusCode} to a Range GET of {download.Blob}");
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var bytes = new byte[length];
        await body.ReadExactlyAsync(bytes, cancellationToken);
        return PieceHasher.Matches(pieces, index, bytes) ? bytes
            : throw new LaunchException(LaunchFailure.Registry, $"the registry's piece {index} of {download.Blob} does not match its own hash");
    }
}
