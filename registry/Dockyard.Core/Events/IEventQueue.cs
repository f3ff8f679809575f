namespace Dockyard.Core.Events;

/// <summary>
/// The durable outbox of notification events: one ordered queue per endpoint, written before the request that caused
/// the event answers, read oldest first by the delivery, and emptied only once an endpoint accepted the events (so
/// delivery is at least once). A lease per endpoint lets one node at a time deliver it. Keyed lookups, ranged reads of
/// one endpoint's queue and conditional writes only, so SQLite, Azure Tables, MySQL and Redis can implement it.
/// </summary>
public interface IEventQueue
{
    /// <summary>
    /// Appends the event to the queue of every endpoint in <paramref name="endpoints"/>; <paramref name="sequence"/>
    /// (an <see cref="EventSequence"/>) is its place in each queue. No effect when <paramref name="endpoints"/> is empty.
    /// </summary>
    Task EnqueueAsync(IReadOnlyList<string> endpoints, string sequence, string payload, CancellationToken cancellationToken);

    /// <summary>The oldest events of the endpoint's queue in sequence order, at most <paramref name="limit"/>; empty when none wait.</summary>
    Task<IReadOnlyList<QueuedEvent>> PeekAsync(string endpoint, int limit, CancellationToken cancellationToken);

    /// <summary>Removes delivered events from the endpoint's queue; sequences no longer queued are ignored.</summary>
    Task RemoveAsync(string endpoint, IReadOnlyList<string> sequences, CancellationToken cancellationToken);

    /// <summary>Counts a failed delivery of the queued event (attempts + 1, last attempt = <paramref name="at"/>); no effect when it is gone.</summary>
    Task RecordFailureAsync(string endpoint, string sequence, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Takes or renews the endpoint's delivery lease for <paramref name="holder"/> until <paramref name="now"/> +
    /// <paramref name="ttl"/>: true when the lease was free, expired or already <paramref name="holder"/>'s; false
    /// (nothing changed) while another holder's lease runs.
    /// </summary>
    Task<bool> TryLeaseAsync(string endpoint, string holder, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Ends <paramref name="holder"/>'s lease on the endpoint; no effect when another holder has it or none does.</summary>
    Task ReleaseAsync(string endpoint, string holder, CancellationToken cancellationToken);
}
