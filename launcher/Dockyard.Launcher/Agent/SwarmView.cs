using Dockyard.Core.Names;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// The peers one download knows, asked of the tracker again at most every <see cref="AgentOptions.PeerRefresh"/> while
/// the download runs: agents that start together announce a moment apart, so a list read once at the start misses most
/// of them. Also splits the blob's pieces among the swarm: the pieces this agent fetches from the registry first.
/// </summary>
internal sealed class SwarmView(TrackerClient tracker, PeerScores scores, RepositoryName repository, Digest blob, string agentId, string ownAddress,
    TimeSpan refreshEvery, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan LonelyRefresh = TimeSpan.FromMilliseconds(500);

    private IReadOnlyList<string> peers = [];
    private string[] ranked = [ownAddress];
    private DateTimeOffset refreshedAt = DateTimeOffset.MinValue;
    private int refreshing;

    public IReadOnlyList<string> Peers => Volatile.Read(ref peers);

    /// <summary>
    /// Whether the piece is this agent's share: pieces are dealt round-robin over the swarm's addresses in sorted
    /// order, so agents that see the same swarm fetch different pieces from the registry and wait for the others'.
    /// Views that differ for a moment only make a piece fetched twice or waited for a little longer.
    /// </summary>
    public bool IsMine(int index) => Share()(index);

    /// <summary>
    /// <see cref="IsMine"/> over one snapshot of the swarm. Banned peers are left out, so the share of a peer that
    /// died is dealt among the living instead of being waited for.
    /// </summary>
    public Func<int, bool> Share()
    {
        var swarm = Volatile.Read(ref ranked).Where(a => string.Equals(a, ownAddress, StringComparison.Ordinal) || scores.IsUsable(a)).ToArray();
        return index => swarm.Length <= 1 || string.Equals(swarm[index % swarm.Length], ownAddress, StringComparison.Ordinal);
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
        var others = fresh.Where(p => !string.Equals(p, ownAddress, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToArray();
        Volatile.Write(ref peers, others);
        Volatile.Write(ref ranked, [.. others.Append(ownAddress).Order(StringComparer.Ordinal)]);
        refreshedAt = time.GetUtcNow();
    }
}
