namespace Dockyard.Core.Events;

/// <summary>Wakes this process's delivery loop when an event was queued, so events go out at once rather than on the next tick.</summary>
public sealed class EventSignal
{
    private readonly SemaphoreSlim pending = new(0, 1);

    public void Pulse()
    {
        try
        {
            pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already pulsed and not yet awaited: one wake-up covers every event queued since.
        }
    }

    /// <summary>Waits for a pulse or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => pending.WaitAsync(timeout, cancellationToken);
}
