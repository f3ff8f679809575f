using Dockyard.Core.Collection;
using Dockyard.Core.Uploads;
using Dockyard.Hosting.Configuration;
using Microsoft.Azure.Functions.Worker;

namespace Dockyard.Functions;

/// <summary>
/// What <c>dockyard web</c> schedules as background services, as timer functions: the hourly purge of expired
/// uploads and the daily online garbage collection (03:30 UTC). Instances are stateless; the collector's lease in
/// the metadata store lets one run at a time, and purging twice is harmless.
/// </summary>
public sealed partial class MaintenanceFunctions(GarbageCollector collector, UploadPurge purge, RuntimeSettings settings, CollectionSchedule schedule,
    ILogger<MaintenanceFunctions> logger)
{
    [Function("PurgeUploads")]
    public async Task PurgeUploadsAsync([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (settings.Dockyard.UploadPurgeAge <= 0)
        {
            return;
        }
        var purged = await purge.PurgeAsync(TimeSpan.FromHours(settings.Dockyard.UploadPurgeAge), cancellationToken);
        LogPurged(logger, purged.Sessions, purged.Pushes, purged.OrphanStaging);
    }

    /// <summary>Runs when <c>[gc] interval</c> (<c>gc__interval</c>) is not 0; the schedule itself is daily.</summary>
    [Function("CollectGarbage")]
    public async Task CollectGarbageAsync([TimerTrigger("0 30 3 * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (settings.Gc.Interval <= 0)
        {
            return;
        }
        if (timer.ScheduleStatus?.Next is { } next)
        {
            schedule.Plan(new DateTimeOffset(next.ToUniversalTime()), TimeSpan.FromDays(1));
        }
        // The collector records the run in ICollectionHistory, read by the web UI and `dockyard gc --status`.
        var report = await collector.RunAsync(dryRun: false, details: false, cancellationToken);
        LogCollected(logger, report.Ran, report.ManifestsDeleted, report.LinksRemoved, report.BlobsDeleted, report.BytesFreed, report.Duration.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "purged {Sessions} uploads, {Pushes} ACI pushes and {Orphans} orphan staging areas")]
    private static partial void LogPurged(ILogger logger, int sessions, int pushes, int orphans);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "garbage collection (ran: {Ran}) deleted {Manifests} manifests, {Links} links and {Blobs} blobs ({Bytes} bytes) in {Seconds:F1} s")]
    private static partial void LogCollected(ILogger logger, bool ran, int manifests, int links, int blobs, long bytes, double seconds);
}
