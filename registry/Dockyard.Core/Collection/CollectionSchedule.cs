namespace Dockyard.Core.Collection;

/// <summary>The next garbage collection this process will start by itself, and the period (null when the schedule fixes none).</summary>
public sealed record PlannedCollection(DateTimeOffset Next, TimeSpan? Every);

/// <summary>
/// When this process will next start garbage collection by itself, set by whatever schedules it (the service of
/// <c>dockyard web</c>, the Functions timer) and read by the web UI. It describes this node only: in a cluster every
/// node schedules runs and the collector's lease lets one of them work at a time.
/// </summary>
public sealed class CollectionSchedule
{
    private volatile PlannedCollection? planned;

    /// <summary>The planned run; null when this process schedules no collection (<c>[gc] interval = 0</c>, or a CLI command).</summary>
    public PlannedCollection? Planned => planned;

    public void Plan(DateTimeOffset next, TimeSpan? every) => planned = new PlannedCollection(next, every);
}
