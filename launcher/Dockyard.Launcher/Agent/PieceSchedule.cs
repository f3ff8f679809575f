namespace Dockyard.Launcher.Agent;

/// <summary>
/// The order one agent fetches a blob's pieces in: its own share of the swarm first (the pieces it takes from the
/// registry), then the rest in a random order of its own, so agents started together neither fetch the same pieces
/// from the registry nor all ask the same peer for the same piece. Thread-safe; each piece is handed out once.
/// </summary>
internal sealed class PieceSchedule
{
    private readonly int[] order;
    private readonly bool[] taken;
    private readonly SwarmView swarm;
    private readonly Lock gate = new();

    public PieceSchedule(int count, SwarmView swarm)
    {
        order = [.. Enumerable.Range(0, count)];
        Random.Shared.Shuffle(order);
        taken = new bool[count];
        this.swarm = swarm;
    }

    /// <summary>The next piece to fetch; false when every piece has been handed out.</summary>
    public bool TryTake(out int index)
    {
        lock (gate)
        {
            // The swarm view can change between calls, so the share is looked up each time rather than planned once.
            var mine = swarm.Share();
            var next = Array.FindIndex(order, i => !taken[i] && mine(i));
            if (next < 0)
            {
                next = Array.FindIndex(order, i => !taken[i]);
            }
            if (next < 0)
            {
                index = -1;
                return false;
            }
            index = order[next];
            taken[index] = true;
            return true;
        }
    }
}
