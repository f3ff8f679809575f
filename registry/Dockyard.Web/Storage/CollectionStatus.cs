using Dockyard.Core.Collection;

namespace Dockyard.Web.Storage;

/// <summary>The recent garbage collection runs (newest first, possibly none) and this node's planned next run (null when it schedules none).</summary>
public sealed record CollectionStatusView(IReadOnlyList<CollectionRun> Runs, PlannedCollection? Planned)
{
    /// <summary>The newest run that was not a dry run; null when none is recorded among <see cref="Runs"/>.</summary>
    public CollectionRun? LastCollection => Runs.FirstOrDefault(r => !r.DryRun);
}

/// <summary>
/// Garbage collection's status for the storage pages: the runs from Core's <see cref="ICollectionHistory"/> (any node's,
/// one ordered read) and this node's <see cref="CollectionSchedule"/>. A host without a history store shows no runs.
/// </summary>
public sealed class CollectionStatus(CollectionSchedule schedule, ICollectionHistory? history = null)
{
    public async Task<CollectionStatusView> ReadAsync(int runs, CancellationToken cancellationToken) =>
        new(history is null ? [] : await history.ListAsync(runs, cancellationToken), schedule.Planned);
}
