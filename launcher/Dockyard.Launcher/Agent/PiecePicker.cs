namespace Dockyard.Launcher.Agent;

/// <summary>
/// A piece to fetch: from one of <see cref="Holders"/> (in that order), or from the registry when there are none,
/// holding <see cref="RegistryTurn"/> (the agent's turn at the registry while it has peers; null otherwise) until finished.
/// </summary>
internal sealed record PiecePick(int Index, IReadOnlyList<string> Holders, IDisposable? RegistryTurn = null)
{
    public bool FromRegistry => Holders.Count == 0;
}

/// <summary>
/// Decides which piece of one blob an agent fetches next, and from where. In a swarm: a piece of this agent's share
/// (<see cref="SwarmView.Share"/>) that no peer holds or is fetching goes to the registry, one at a time for all the
/// agent's downloads (<see cref="RegistryFetchesInSwarm"/>), so the registry's link carries each piece about once and
/// pieces reach the swarm one after another rather than in waves (the link shared by fewer fetches finishes each
/// sooner, and the swarm passes it on while the next arrives); otherwise the piece the fewest
/// peers hold (rarest first, ties in this agent's own random order) from one of its holders. A piece that is another
/// agent's share is waited for, unless the swarm is stalled (its owners died, hold nothing, or say they fetch pieces
/// they never send): then the registry serves it too, at full parallelism, first the pieces no peer claims and then
/// those no usable peer holds. The swarm makes progress when a peer sends this download a piece or the peers' holdings
/// grow; a peer's "fetching" never keeps a download waiting past the patience. Alone (no usable peer), every piece is its
/// own share at full parallelism. Thread-safe; each piece is handed out once unless given back.
/// </summary>
internal sealed class PiecePicker
{
    /// <summary>Registry fetches at once per agent (all its downloads) while it has peers: the registry's link is shared by all of them.</summary>
    public const int RegistryFetchesInSwarm = 1;

    private static readonly TimeSpan LookAgainAfter = TimeSpan.FromMilliseconds(200);

    private readonly SwarmHoldings holdings;
    private readonly Slots registryTurns;
    private readonly int parallelism;
    private readonly TimeSpan patience;
    private readonly TimeProvider time;
    private readonly int[] order;
    private readonly bool[] taken;
    private readonly Lock gate = new();
    private int remaining;
    private int fromRegistryNow;
    private long lastHeld = -1;
    private DateTimeOffset lastProgress;

    /// <param name="registryTurns">The agent's turns at the registry while it has peers, shared by all its downloads (<see cref="RegistryFetchesInSwarm"/>).</param>
    public PiecePicker(int count, SwarmHoldings holdings, Slots registryTurns, int parallelism, TimeSpan patience, TimeProvider time)
    {
        this.holdings = holdings;
        this.registryTurns = registryTurns;
        this.parallelism = parallelism;
        this.patience = patience;
        this.time = time;
        order = [.. Enumerable.Range(0, count)];
        Random.Shared.Shuffle(order);
        taken = new bool[count];
        remaining = count;
        lastProgress = time.GetUtcNow();
    }

    /// <summary>The next piece to fetch, waiting while none can be fetched yet; null when every piece has been handed out.</summary>
    public async Task<PiecePick?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Refreshed in the background: a dead peer's bitfield may take seconds to fail, and picks need not wait for it.
            _ = RefreshQuietlyAsync(cancellationToken);
            if (TryPick(out var finished) is { } pick)
            {
                return pick;
            }
            if (finished)
            {
                return null;
            }
            await Task.Delay(LookAgainAfter, time, cancellationToken);
        }
    }

    /// <summary>The next piece to fetch now; null with <paramref name="finished"/> false when every remaining one must wait.</summary>
    public PiecePick? TryPick(out bool finished)
    {
        lock (gate)
        {
            finished = remaining == 0;
            if (finished)
            {
                return null;
            }
            var now = time.GetUtcNow();
            // Only growth is progress: a count that drops (a peer evicted, died or timed out) says nothing about the
            // others. (Measured: counting only a new high made a loaded 16-agent swarm, whose bitfields time out and
            // come back, count as stalled and take 3 images from the registry.)
            var held = holdings.HeldCount;
            if (held > lastHeld)
            {
                lastProgress = now;
            }
            lastHeld = held;
            var stalled = now - lastProgress >= patience;
            // Alone or stalled, the registry is all there is: this download's workers all go, whatever the others do.
            var unrestrained = stalled || !holdings.Swarm.HasUsablePeers;
            if (!unrestrained || fromRegistryNow < parallelism)
            {
                var mine = holdings.Swarm.Share();
                var next = First(i => mine(i) && !holdings.AnyHolds(i) && !holdings.AnyFetching(i));
                if (next < 0 && stalled)
                {
                    // A stalled swarm's "fetching" is not believed for long: pieces no one claims first, then those no usable
                    // peer holds, since a peer saying it fetches every piece and sending none would keep them from the
                    // registry forever. (A peer claiming to hold a piece is asked for it, and banned when it does not send it.)
                    next = First(i => !holdings.AnyHolds(i) && !holdings.AnyFetching(i));
                    next = next >= 0 ? next : First(i => holdings.HoldersOf(i).Count == 0);
                }
                var turn = next < 0 || unrestrained ? null : registryTurns.TryTake();
                if (next >= 0 && (unrestrained || turn is not null))
                {
                    fromRegistryNow++;
                    return Take(next, [], turn);
                }
            }
            var (rarest, holders) = (-1, new List<string>());
            foreach (var index in order)
            {
                if (!taken[index] && holdings.HoldersOf(index) is { Count: > 0 } these && (rarest < 0 || these.Count < holders.Count))
                {
                    (rarest, holders) = (index, these);
                }
            }
            if (rarest < 0)
            {
                return null;
            }
            Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(holders));
            return Take(rarest, holders);
        }
    }

    /// <summary>A piece already at hand (in the cache): never handed out.</summary>
    public void Skip(int index)
    {
        lock (gate)
        {
            if (!taken[index])
            {
                (taken[index], remaining) = (true, remaining - 1);
            }
        }
    }

    /// <summary>
    /// The pick is over: the piece arrived (or failed for good) when <paramref name="arrived"/>, else it goes back to be
    /// picked again. A piece arriving from a peer is the swarm's progress: the download is not stalled while peers send
    /// it pieces (one from the registry proves nothing about the peers, and would have liars asked again after each).
    /// </summary>
    public void Finish(PiecePick pick, bool arrived)
    {
        lock (gate)
        {
            if (arrived && !pick.FromRegistry)
            {
                lastProgress = time.GetUtcNow();
            }
            if (pick.FromRegistry)
            {
                fromRegistryNow--;
                pick.RegistryTurn?.Dispose();
            }
            if (!arrived)
            {
                (taken[pick.Index], remaining) = (false, remaining + 1);
            }
        }
    }

    private PiecePick Take(int index, IReadOnlyList<string> holders, IDisposable? turn = null)
    {
        (taken[index], remaining) = (true, remaining - 1);
        return new PiecePick(index, holders, turn);
    }

    private int First(Func<int, bool> wanted)
    {
        foreach (var index in order)
        {
            if (!taken[index] && wanted(index))
            {
                return index;
            }
        }
        return -1;
    }

    private async Task RefreshQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await holdings.RefreshAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
