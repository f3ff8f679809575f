using Dockyard.Core.Names;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The peers one download knows, asked of the tracker again at most every <see cref="AgentOptions.PeerRefresh"/> while
/// the download runs: agents that start together announce a moment apart, so a list read once at the start misses most
/// of them. Also splits the blob's pieces among the swarm (<see cref="PieceOwnership"/>): the pieces this agent fetches
/// from the registry.
/// </summary>
internal sealed class SwarmView(TrackerClient tracker, PeerScores scores, RepositoryName repository, Digest blob, string agentId, string ownAddress,
    TimeSpan refreshEvery, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan LonelyRefresh = TimeSpan.FromMilliseconds(500);

    private IReadOnlyList<string> peers = [];
    private DateTimeOffset refreshedAt = DateTimeOffset.MinValue;
    private int refreshing;

    public IReadOnlyList<string> Peers => Volatile.Read(ref peers);

    /// <summary>Whether any peer is known and not banned.</summary>
    public bool HasUsablePeers => Peers.Any(scores.IsUsable);

    /// <summary>Whether the piece is this agent's share (see <see cref="Share"/>).</summary>
    public bool IsMine(int index) => Share()(index);

    /// <summary>
    /// Whether a piece is this agent's share, over one snapshot of the swarm: agents that see the same swarm fetch
    /// different pieces from the registry and wait for the others'; views that differ for a moment only make a piece
    /// fetched twice or waited for a little longer. Banned peers are left out, so the share of a peer that died is
    /// dealt among the living instead of being waited for.
    /// </summary>
    public Func<int, bool> Share()
    {
        var usable = Peers.Where(scores.IsUsable).ToArray();
        if (usable.Length == 0)
        {
            return _ => true;
        }
        var ownership = new PieceOwnership(blob, usable.Append(ownAddress));
        return index => string.Equals(ownership.OwnerOf(index), ownAddress, StringComparison.Ordinal);
    }

    /// <summary>
    /// Asks the tracker again when the last answer is older than the refresh interval, or half a second while no peer
    /// is known (the moment agents start together), one request at a time.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var every = Peers.Count == 0 && refreshEvery > LonelyRefresh ? LonelyRefresh : refreshEvery;
        if (time.GetUtcNow() - refreshedAt < every || Interlocked.Exchange(ref refreshing, 1) == 1)
        {
            return;
        }
        try
        {
            Update(await tracker.GetPeersAsync(repository, blob, agentId, cancellationToken));
        }
        catch (Exception e) when (e is LaunchException or HttpRequestException or IOException)
        {
            // The peers already known stay; the registry is the source of last resort anyway.
            AgentLog.TrackerUnavailable(logger, blob.Value, e.Message);
        }
        finally
        {
            refreshedAt = time.GetUtcNow();
            Volatile.Write(ref refreshing, 0);
        }
    }

    public void Update(IReadOnlyList<string> fresh)
    {
        Volatile.Write(ref peers, [.. fresh.Where(p => !string.Equals(p, ownAddress, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)]);
        refreshedAt = time.GetUtcNow();
    }
}
