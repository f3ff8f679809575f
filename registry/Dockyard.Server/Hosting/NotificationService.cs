using Dockyard.Core.Events;
using Dockyard.Hosting.Events;

namespace Dockyard.Server.Hosting;

/// <summary>
/// Delivers queued notification events: at once when this process queued one (<see cref="EventSignal"/>), and every
/// <see cref="Interval"/> for backlogs, retries and events other nodes queued. Registered only when endpoints are configured.
/// </summary>
internal sealed class NotificationService(NotificationRound round, EventSignal signal) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await round.RunAsync(stoppingToken);
            await signal.WaitAsync(Interval, stoppingToken);
        }
    }
}
