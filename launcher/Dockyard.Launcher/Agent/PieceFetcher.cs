using System.Net;
using Dockyard.Core.P2P;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// Gets one verified piece: from the cache, else from the download's peers in random order (skipping banned ones),
/// else from the registry by a Range GET. Every piece is checked against the registry's hash before it is cached or
/// passed on; a peer that sent a corrupt one is banned and the piece fetched elsewhere, a failing peer costs only time.
/// </summary>
internal sealed class PieceFetcher(PieceCache cache, PeerPieceClient peers, PeerScores scores, TrackerClient tracker, AgentStats stats, ILogger logger)
{
    public async Task<byte[]> FetchAsync(BlobDownload download, int index, CancellationToken cancellationToken)
    {
        var pieces = download.Pieces;
        if (await cache.ReadAsync(download.Blob, index, cancellationToken) is { } cached && PieceHasher.Matches(pieces, index, cached))
        {
            return cached;
        }
        if (download.Token is { } token)
        {
            var order = download.Peers.ToArray();
            Random.Shared.Shuffle(order);
            foreach (var peer in order.Where(scores.IsUsable))
            {
                var (answer, bytes, reason) = await peers.FetchAsync(peer, download.Blob, index, pieces.LengthOf(index), token, cancellationToken);
                if (answer == PeerAnswer.Missing)
                {
                    continue;
                }
                if (answer == PeerAnswer.Failed)
                {
                    stats.PeerFailure();
                    scores.Failed(peer);
                    AgentLog.PeerFailed(logger, peer, index, download.Blob.Value, reason);
                    continue;
                }
                if (!PieceHasher.Matches(pieces, index, bytes))
                {
                    stats.BadPiece();
                    scores.Corrupt(peer);
                    AgentLog.CorruptPiece(logger, peer, index, download.Blob.Value);
                    continue;
                }
                stats.FromPeer(bytes!.Length);
                await cache.StoreAsync(download.Blob, index, bytes, cancellationToken);
                return bytes;
            }
        }
        var origin = await FromRegistryAsync(download, index, cancellationToken);
        stats.FromRegistry(origin.Length);
        await cache.StoreAsync(download.Blob, index, origin, cancellationToken);
        return origin;
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
