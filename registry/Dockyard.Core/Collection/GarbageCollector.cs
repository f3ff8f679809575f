using System.Diagnostics;
using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Core.Telemetry;

namespace Dockyard.Core.Collection;

/// <summary>
/// Online garbage collection: marks what every repository keeps (tags, what they reach, what other protocols refer
/// to; retention rules first), then sweeps the blob store, while pushes and pulls go on. Anything newer than the
/// grace period is kept; docs/gc.md explains why no request can lose a blob to it. One node collects at a time
/// (a lease in the metadata store); a dry run changes nothing and takes no lease. Every run that got to work, dry or
/// not, completed or failed, is recorded in <see cref="ICollectionHistory"/> when one is given.
/// </summary>
public sealed class GarbageCollector(IBlobStore blobs, IMetadataStore metadata, RepositoryReferences extras, CollectionOptions options, TimeProvider time,
    ICollectionHistory? history = null)
{
    private const int Page = 100;

    /// <summary>How long a lease lasts without renewal; the collector renews it once a minute (checked after each repository and sweep page).</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(10);

    // Renewing after every repository cost a write each (100,000 of them in the scale benchmark); once a minute keeps
    // nine minutes of margin.
    private static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);

    /// <param name="details">Whether to list what was deleted (the CLI), not only count it.</param>
    /// <exception cref="CollectionLeaseLostException">Another node took the lease over (this run stalled past it); the run stopped.</exception>
    public async Task<CollectionReport> RunAsync(bool dryRun, bool details, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var startedAt = time.GetUtcNow();
        var report = new CollectionReport { DryRun = dryRun };
        var holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        var cutoff = time.GetUtcNow() - options.Delay;
        if (!dryRun && !await metadata.Collection.TryAcquireLeaseAsync(holder, time.GetUtcNow(), LeaseDuration, cancellationToken))
        {
            report.Ran = false;
            RegistryMeter.GcRun("skipped", clock.Elapsed, 0, 0, 0);
            return report;
        }
        var result = "failed";
        string? error = null;
        try
        {
            var sinceRenewal = Stopwatch.StartNew();
            async Task Renew(CancellationToken token)
            {
                if (sinceRenewal.Elapsed < RenewEvery)
                {
                    return;
                }
                sinceRenewal.Restart();
                if (!await metadata.Collection.TryAcquireLeaseAsync(holder, time.GetUtcNow(), LeaseDuration, token))
                {
                    throw new CollectionLeaseLostException();
                }
            }
            var kept = new DigestSet();
            var repositories = new RepositoryCollector(blobs, metadata, extras, options, time);
            string? after = null;
            IReadOnlyList<string> page;
            do
            {
                page = await metadata.Repositories.ListAsync(after, Page, cancellationToken);
                foreach (var name in page)
                {
                    if (!RepositoryName.TryParse(name, out var repository))
                    {
                        continue;
                    }
                    await repositories.CollectAsync(repository, cutoff, dryRun, details, kept, report, cancellationToken);
                    report.Repositories++;
                    if (!dryRun)
                    {
                        await Renew(cancellationToken);
                    }
                }
                after = page.Count > 0 ? page[^1] : null;
            }
            while (page.Count == Page);
            await new BlobSweeper(blobs, metadata).SweepAsync(kept, cutoff, dryRun, details, report, Renew, cancellationToken);
            result = "completed";
            return report;
        }
        catch (Exception e)
        {
            error = e is OperationCanceledException ? "cancelled (the process was stopping)" : e.Message;
            throw;
        }
        finally
        {
            report.Duration = clock.Elapsed;
            if (!dryRun)
            {
                await metadata.Collection.ReleaseLeaseAsync(holder, CancellationToken.None);
                RegistryMeter.GcRun(result, clock.Elapsed, report.BytesFreed, report.BlobsDeleted, report.ManifestsDeleted);
            }
            await RecordAsync(startedAt, report, error);
        }
    }

    private async Task RecordAsync(DateTimeOffset startedAt, CollectionReport report, string? error)
    {
        if (history is null)
        {
            return;
        }
        var run = new CollectionRun(startedAt, report.Duration, report.DryRun, report.Repositories, report.TagsDeleted, report.ManifestsDeleted,
            report.BlobsDeleted, report.BytesFreed, error);
        try
        {
            await history.RecordAsync(run, CancellationToken.None);
        }
        catch (Exception) when (error is not null)
        {
            // The run failed already (often for the same unreachable store): its own error is the one to report.
        }
    }
}

/// <summary>The collector's lease expired and another node took it: this run stopped where it was (what it did stays valid).</summary>
public sealed class CollectionLeaseLostException() : Exception("another node took the garbage collection lease over; this run stopped");
