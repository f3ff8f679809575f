namespace Dockyard.Launcher.Agent;

/// <summary>
/// At most a fixed number of something at once, taken without waiting: the peer endpoint's upload slots
/// (<see cref="AgentOptions.UploadSlots"/>: a request past them is answered "busy" at once, so the link sends whole
/// pieces to a few peers soon rather than a sliver to every peer, BitTorrent's upload slots) and the registry fetches
/// an agent in a swarm runs at once for all its downloads (<see cref="PiecePicker"/>).
/// </summary>
internal sealed class Slots(int count)
{
    private int used;

    public int Count => count;

    /// <summary>A slot until the returned scope is disposed; null when all are taken.</summary>
    public IDisposable? TryTake()
    {
        if (Interlocked.Increment(ref used) > count)
        {
            Interlocked.Decrement(ref used);
            return null;
        }
        return new Slot(this);
    }

    private sealed class Slot(Slots owner) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner.used);
            }
        }
    }
}
