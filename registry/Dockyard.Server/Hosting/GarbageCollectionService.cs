using Dockyard.Core.Collection;

namespace Dockyard.Server.Hosting;

/// <summary>
/// Every <c>[gc] interval</c> seconds, runs online garbage collection (first one interval after start, so a restart
/// loop cannot turn into a collection loop). Several nodes may schedule it: the collector's lease lets one run at a time.
/// The next start is published in <see cref="CollectionSchedule"/> for the web UI; the collector records each run.
/// </summary>
internal sealed partial class GarbageCollectionService(GarbageCollector collector, TimeSpan interval, CollectionSchedule schedule, TimeProvider time,
    ILogger<GarbageCollectionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        // PeriodicTimer ticks every interval from its creation, however long a run takes (a tick missed during a run
        // fires at once when it ends), so the next start is the next multiple of the interval after now.
        var created = time.GetUtcNow();
        schedule.Plan(created + interval, interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var elapsed = time.GetUtcNow() - created;
            schedule.Plan(created + interval * (Math.Floor(elapsed / interval) + 1), interval);
            try
            {
                var report = await collector.RunAsync(dryRun: false, details: false, stoppingToken);
                if (report.Ran)
                {
                    LogCollected(logger, report.ManifestsDeleted, report.TagsDeleted, report.LinksRemoved, report.BlobsDeleted, report.BytesFreed,
                        report.Repositories, report.Duration.TotalSeconds);
                }
                else
                {
                    LogSkipped(logger);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, interval.TotalSeconds);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "garbage collection deleted {Manifests} manifests, {Tags} tags (retention), {Links} links and {Blobs} blobs ({Bytes} bytes) in {Repositories} repositories in {Seconds:F1} s")]
    private static partial void LogCollected(ILogger logger, int manifests, int tags, int links, int blobs, long bytes, int repositories, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "garbage collection skipped: another node is collecting")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "garbage collection failed; will retry in {Seconds} s")]
    private static partial void LogFailed(ILogger logger, Exception error, double seconds);
}
