using Dockyard.Core.Events;

namespace Dockyard.Hosting.Events;

/// <summary>
/// One delivery round over every endpoint (<see cref="EventDelivery"/>) with its outcome logged: what both hosts
/// schedule, the server on its background loop and the Functions worker on its timer.
/// </summary>
public sealed partial class NotificationRound(EventDelivery delivery, NotificationOptions options, ILogger<NotificationRound> logger)
{
    public bool Enabled => options.Enabled;

    /// <summary>Delivers what is due; a store that cannot be reached is logged and left for the next round.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return;
        }
        try
        {
            foreach (var result in await delivery.DeliverAsync(cancellationToken))
            {
                if (result.Delivered > 0)
                {
                    LogDelivered(logger, result.Delivered, result.Endpoint);
                }
                if (result.Failure is { } failure)
                {
                    LogFailed(logger, result.Endpoint, result.Attempts, failure);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRoundFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "notifications: delivered {Count} events to {Endpoint}")]
    private static partial void LogDelivered(ILogger logger, int count, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "notifications: {Endpoint} refused its oldest event (attempt {Attempts}): {Reason}; it stays queued")]
    private static partial void LogFailed(ILogger logger, string endpoint, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "notifications: a delivery round failed; the next round retries")]
    private static partial void LogRoundFailed(ILogger logger, Exception error);
}
