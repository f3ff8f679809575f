using Dockyard.Hosting.Events;
using Microsoft.Azure.Functions.Worker;

namespace Dockyard.Functions;

/// <summary>
/// Delivers queued notification events on a timer (every 10 seconds): the worker has no background loop of its own, and
/// requests only queue events. Instances share the queue's per-endpoint lease, so several never send the same backlog.
/// Without <c>notifications__endpoints</c> a tick does nothing.
/// </summary>
public sealed class NotificationFunctions(NotificationRound round)
{
    public const string Schedule = "*/10 * * * * *";

    [Function("notifications")]
    public Task Deliver([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) => round.RunAsync(cancellationToken);
}
