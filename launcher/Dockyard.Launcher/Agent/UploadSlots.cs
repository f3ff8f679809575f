namespace Dockyard.Launcher.Agent;

/// <summary>
/// How many pieces the peer endpoint sends at once (<see cref="AgentOptions.UploadSlots"/>). A request past them is
/// answered "busy" at once instead of splitting this agent's link ever thinner: a few peers get whole pieces soon and
/// can pass them on, rather than fifteen getting a fifteenth of the link each and none finishing early (BitTorrent's
/// upload slots). The asker takes the piece from another holder or asks again shortly; busy is never a penalty.
/// </summary>
internal sealed class UploadSlots(int count)
{
    /// <summary>The <see cref="PiecesInFlight.Header"/> value of a 503 meaning "every upload slot is taken, ask again shortly".</summary>
    public const string Busy = "busy";

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

    private sealed class Slot(UploadSlots owner) : IDisposable
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
