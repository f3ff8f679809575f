using Dockyard.Core.Uploads;

namespace Dockyard.Server.Hosting;

/// <summary>
/// Hourly, runs the <see cref="UploadPurge"/> with <c>[dockyard] uploadpurgeage</c> hours as the expiry: clients that
/// died mid-push and crashes leave staged bytes that nobody will finish. Several nodes may run it at once.
/// </summary>
internal sealed partial class UploadPurgeService(UploadPurge purge, TimeSpan maxAge, ILogger<UploadPurgeService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var purged = await purge.PurgeAsync(maxAge, stoppingToken);
                if (purged.Total > 0)
                {
                    LogPurged(logger, purged.Sessions, purged.Pushes, purged.OrphanStaging, maxAge.TotalHours);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "purged {Sessions} uploads, {Pushes} ACI pushes and {Orphans} orphan staging areas older than {Hours} hours")]
    private static partial void LogPurged(ILogger logger, int sessions, int pushes, int orphans, double hours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "purging expired uploads failed; will retry in an hour")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
