namespace Dockyard.Core.Collection;

/// <summary>
/// What one garbage collection run did, as the history keeps it: when it started, how long it took, whether it was a
/// dry run, what it deleted and freed (what it would have, for a dry run), and why it stopped early. <see cref="Error"/>
/// is null for a run that completed; the counts then cover everything, otherwise what was done before the failure.
/// </summary>
public sealed record CollectionRun(
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    bool DryRun,
    int Repositories,
    int TagsDeleted,
    int ManifestsDeleted,
    int BlobsDeleted,
    long BytesFreed,
    string? Error);

/// <summary>
/// The garbage collector's recent runs, written by every run that got to work (a run that found another node holding
/// the lease is not recorded), whichever door started it — the scheduled service of <c>dockyard web</c>, the Functions
/// timer or <c>dockyard gc</c> — so the web UI and <c>dockyard gc --status</c> can say how collection is going. Only the
/// newest <see cref="Kept"/> runs are kept. Implementations pass CollectionHistoryConformance.
/// </summary>
public interface ICollectionHistory
{
    /// <summary>How many runs a store keeps; older ones are removed as new ones are recorded.</summary>
    const int Kept = 20;

    /// <summary>Records the run (two runs that started at the same instant are both kept) and drops runs beyond the newest <see cref="Kept"/>.</summary>
    Task RecordAsync(CollectionRun run, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> runs, newest start first; empty when nothing was recorded yet.</summary>
    Task<IReadOnlyList<CollectionRun>> ListAsync(int limit, CancellationToken cancellationToken);
}
