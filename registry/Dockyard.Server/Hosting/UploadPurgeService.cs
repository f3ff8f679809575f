using Dockyard.Core.Uploads;

namespace Dockyard.Server.Hosting;

/// <summary>
/// Hourly, cancels uploads older than <c>[dockyard] uploadpurgeage</c> hours: clients that died mid-push leave staged
/// bytes that nobody will finish. Several nodes may run it at once; deleting a session twice is harmless.
/// </summary>
internal sealed partial class UploadPurgeService(BlobUploadService uploads, TimeSpan maxAge, ILogger<UploadPurgeService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var purged = await uploads.PurgeExpiredAsync(maxAge, stoppingToken);
                if (purged > 0)
                {
                    LogPurged(logger, purged, maxAge.TotalHours);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "purged {Count} uploads older than {Hours} hours")]
    private static partial void LogPurged(ILogger logger, int count, double hours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "purging expired uploads failed; will retry in an hour")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
