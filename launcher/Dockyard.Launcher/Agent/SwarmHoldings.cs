using System.Collections.Concurrent;
using Dockyard.Core.Names;
using Microsoft.Extensions.Logging;

namespace Dockyard.Launcher.Agent;

/// <summary>
/// What one download knows of its peers' pieces: each peer's last <see cref="PieceBitfield"/>, asked again at most
/// every <see cref="RefreshEvery"/> of every peer the <see cref="SwarmView"/> names, all at once. A peer that does not
/// answer is failed (<see cref="PeerScores"/>): its pieces and its registry share go to the living. A peer that said
/// "busy" is skipped for a moment. Only a hint of whom to ask: every piece is still checked against the registry's hash.
/// </summary>
internal sealed class SwarmHoldings(SwarmView swarm, PeerPieceClient client, PeerScores scores, AgentStats stats, Digest blob, int count, string? token,
    TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BusyFor = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, PieceBitfield> bitfields = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> busyUntil = new(StringComparer.Ordinal);
    private DateTimeOffset refreshedAt = DateTimeOffset.MinValue;
    private int refreshing;
    private long held;

    public SwarmView Swarm => swarm;

    /// <summary>How many pieces the swarm's bitfields say are held in all: it grows while the swarm makes progress.</summary>
    public long HeldCount => Interlocked.Read(ref held);

    /// <summary>The usable peers the last bitfields say hold the piece, not counting those busy right now.</summary>
    public List<string> HoldersOf(int index)
    {
        var now = time.GetUtcNow();
        return [.. bitfields.Where(b => b.Value.Held[index] && scores.IsUsable(b.Key) && !(busyUntil.TryGetValue(b.Key, out var until) && until > now)).Select(b => b.Key)];
    }

    /// <summary>Whether a usable peer's bitfield names the piece, busy or not.</summary>
    public bool AnyHolds(int index) => bitfields.Any(b => b.Value.Held[index] && scores.IsUsable(b.Key));

    /// <summary>Whether a usable peer said it is fetching the piece from the registry.</summary>
    public bool AnyFetching(int index) => bitfields.Any(b => b.Value.Fetching[index] && scores.IsUsable(b.Key));

    /// <summary>Whether the peer's last bitfield names the piece as held.</summary>
    public bool Claims(string peer, int index) => bitfields.TryGetValue(peer, out var bitfield) && bitfield.Held[index];

    /// <summary>Records a peer's bitfield (also how tests give holdings).</summary>
    public void Set(string peer, PieceBitfield bitfield)
    {
        bitfields[peer] = bitfield;
        Interlocked.Exchange(ref held, bitfields.Values.Sum(b => (long)b.Held.Count(h => h)));
    }

    /// <summary>
    /// The peer answered "not held" for the piece: it is not asked for it again until its bitfield names it anew. True
    /// when its last bitfield named it (the peer evicted it since, or claimed what it did not have).
    /// </summary>
    public bool Forget(string peer, int index)
    {
        if (bitfields.TryGetValue(peer, out var bitfield) && bitfield.Held[index])
        {
            bitfield.Held[index] = false;
            return true;
        }
        return false;
    }

    public void Busy(string peer) => busyUntil[peer] = time.GetUtcNow() + BusyFor;

    /// <summary>
    /// Asks the tracker (at its own pace) and then every peer for its bitfield when the last answers are older than
    /// <see cref="RefreshEvery"/>; one refresh at a time, the others return at once.
    /// </summary>
    public Task RefreshAsync(CancellationToken cancellationToken) => RefreshAsync(force: false, cancellationToken);

    /// <summary>Asks every peer for its bitfield now, however recent the last answers (before a download's first pick).</summary>
    public Task RefreshNowAsync(CancellationToken cancellationToken) => RefreshAsync(force: true, cancellationToken);

    private async Task RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        if (token is null || (!force && time.GetUtcNow() - refreshedAt < RefreshEvery) || Interlocked.Exchange(ref refreshing, 1) == 1)
        {
            return;
        }
        try
        {
            await swarm.RefreshAsync(cancellationToken);
            var peers = swarm.Peers.Where(scores.IsUsable).ToArray();
            await Task.WhenAll(peers.Select(async peer =>
            {
                var (bitfield, reason) = await client.FetchBitfieldAsync(peer, blob, count, token, cancellationToken);
                if (bitfield is null)
                {
                    stats.PeerFailure();
                    scores.Failed(peer);
                    bitfields.TryRemove(peer, out _);
                    AgentLog.BitfieldFailed(logger, peer, blob.Value, reason);
                }
                else
                {
                    Set(peer, bitfield);
                }
            }));
        }
        finally
        {
            refreshedAt = time.GetUtcNow();
            Volatile.Write(ref refreshing, 0);
        }
    }
}
