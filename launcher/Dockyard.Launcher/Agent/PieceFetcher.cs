using System.Diagnostics;
using System.Net;
using Dockyard.Core.P2P;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// Gets one verified piece: from the cache, from given holders (<see cref="FromHoldersAsync"/>, what the
/// <see cref="PiecePicker"/> chose), or from the registry by a Range GET. Every piece is checked against the registry's
/// hash before it is cached or passed on; a peer that sent a corrupt one is banned and the piece fetched elsewhere, a
/// failing peer costs only time. <see cref="FetchAsync"/> gets one piece on its own (the writer's, when the cache's
/// bound evicted it): the peers in random order, asked again for a while when none holds it yet — as long as
/// <see cref="AgentOptions.PeerTimeout"/> while a peer says it is fetching it, up to <see cref="AgentOptions.PeerWait"/>
/// (jittered) when it is another agent's share — then the registry.
/// </summary>
internal sealed class PieceFetcher(PieceCache cache, PeerPieceClient peers, PeerScores scores, TrackerClient tracker, PiecesInFlight inFlight,
    AgentOptions options, AgentStats stats, ILogger logger)
{
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromMilliseconds(250);
    /// <summary>The most peers asked for one piece before it goes back (see <see cref="FromHoldersAsync"/>).</summary>
    public const int PeersPerRound = 4;

    public async Task<byte[]> FetchAsync(BlobDownload download, int index, CancellationToken cancellationToken)
    {
        if (await FromCacheAsync(download, index, cancellationToken) is { } cached)
        {
            return cached;
        }
        if (download.Token is not null)
        {
            await download.Swarm.RefreshAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            // Jittered, so agents that gave up on the same piece do not all reach the registry at one moment.
            var patience = options.PeerWait * (1 + Random.Shared.NextDouble());
            while (true)
            {
                var order = download.Swarm.Peers.Where(scores.IsUsable).ToList();
                Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order));
                // Those whose bitfield names the piece first (only the first few are asked each round).
                var asked = order.OrderBy(peer => download.Holdings.Claims(peer, index) ? 0 : 1);
                var (bytes, fetching) = await FromHoldersAsync(download, index, asked, cancellationToken);
                if (bytes is not null)
                {
                    return bytes;
                }
                var limit = fetching ? options.PeerTimeout : download.Swarm.IsMine(index) ? TimeSpan.Zero : patience;
                if (!download.Swarm.HasUsablePeers || Stopwatch.GetElapsedTime(started) >= limit)
                {
                    break;
                }
                await Task.Delay(AskAgainAfter, cancellationToken);
                await download.Swarm.RefreshAsync(cancellationToken);
            }
        }
        return await FromRegistryAsync(download, index, cancellationToken);
    }

    /// <summary>The piece from the cache when it is stored under the registry's hash and still matches it; null when it is not there.</summary>
    public Task<byte[]?> FromCacheAsync(BlobDownload download, int index, CancellationToken cancellationToken) =>
        cache.ReadAsync(download.Blob, index, download.Pieces.Hashes[index], cancellationToken);

    /// <summary>
    /// The piece from the first of <paramref name="holders"/> that sends it intact, cached; else null, and whether a
    /// peer said it is fetching it. Busy and "not held" answers are told to the download's holdings. Only the first
    /// <see cref="PeersPerRound"/> are asked: each may take the peer timeout, and a swarm of peers that answer slowly must
    /// not hold one piece for (peers x timeout); the piece goes back to be picked again (by then, perhaps, from the registry).
    /// </summary>
    public async Task<(byte[]? Bytes, bool Fetching)> FromHoldersAsync(BlobDownload download, int index, IEnumerable<string> holders,
        CancellationToken cancellationToken)
    {
        var fetching = false;
        foreach (var peer in holders.Take(PeersPerRound))
        {
            if (download.Token is not { } token || !scores.IsUsable(peer))
            {
                continue;
            }
            var (answer, bytes, reason) = await peers.FetchAsync(peer, download.Blob, index, download.Pieces.LengthOf(index), token, cancellationToken);
            switch (answer)
            {
                case PeerAnswer.Missing or PeerAnswer.Fetching when download.Holdings.Forget(peer, index):
                    // Its bitfield named the piece as held: evicted since (then it holds none of the blob) or a lie that would
                    // have it asked again and again. Either way it is left alone for a while, like a failing peer.
                    stats.PeerFailure();
                    scores.Failed(peer);
                    AgentLog.PeerFailed(logger, peer, index, download.Blob.Value, "claimed the piece, then did not send it");
                    continue;
                case PeerAnswer.Missing:
                    continue;
                case PeerAnswer.Fetching:
                    fetching = true;
                    continue;
                case PeerAnswer.Busy:
                    download.Holdings.Busy(peer);
                    continue;
                case PeerAnswer.Failed:
                    stats.PeerFailure();
                    scores.Failed(peer);
                    AgentLog.PeerFailed(logger, peer, index, download.Blob.Value, reason);
                    continue;
            }
            if (PieceHasher.Matches(download.Pieces, index, bytes))
            {
                stats.FromPeer(bytes!.Length);
                await cache.StoreVerifiedAsync(download.Blob, index, bytes, download.Pieces.Hashes[index], cancellationToken);
                return (bytes, fetching);
            }
            stats.BadPiece();
            scores.Corrupt(peer);
            AgentLog.CorruptPiece(logger, peer, index, download.Blob.Value);
        }
        return (null, fetching);
    }

    /// <summary>The piece by a Range GET to the registry, checked and cached; peers asking meanwhile are told it is being fetched.</summary>
    public async Task<byte[]> FromRegistryAsync(BlobDownload download, int index, CancellationToken cancellationToken)
    {
        var pieces = download.Pieces;
        var length = pieces.LengthOf(index);
        byte[] bytes;
        using (inFlight.Begin(download.Blob, index))
        {
            using var response = await tracker.OpenRangeAsync(download.Repository, download.Blob, pieces.OffsetOf(index), length, cancellationToken);
            // A registry that ignores Range answers 200 with the whole blob: only usable for the first piece.
            if (response.StatusCode != HttpStatusCode.PartialContent && index != 0)
            {
                throw new LaunchException(LaunchFailure.Registry, $"the registry answered {(int)response.StatusCode} to a Range GET of {download.Blob}");
            }
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            // Not zeroed first: ReadExactly fills it or throws.
            bytes = GC.AllocateUninitializedArray<byte>(length);
            await body.ReadExactlyAsync(bytes, cancellationToken);
        }
        if (!PieceHasher.Matches(pieces, index, bytes))
        {
            throw new LaunchException(LaunchFailure.Registry, $"the registry's piece {index} of {download.Blob} does not match its own hash");
        }
        stats.FromRegistry(bytes.Length);
        await cache.StoreVerifiedAsync(download.Blob, index, bytes, download.Pieces.Hashes[index], cancellationToken);
        return bytes;
    }
}
