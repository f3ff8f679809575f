using System.Net;
using System.Security.Cryptography;
using Dockyard.Core.Blobs;
using Dockyard.Core.Collection;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Functions.Tests;

/// <summary>The worker's timer functions, invoked as the host invokes them (a class per invocation from the worker's services), on Azurite.</summary>
public sealed class MaintenanceFunctionTests
{
    [Fact]
    public async Task The_collect_garbage_timer_deletes_an_unreferenced_blob_from_the_container()
    {
        if (WorkerHost.AzuriteSettings() is not { } settings)
        {
            return;
        }
        settings["gc:delay"] = "1";
        try
        {
            await using var worker = await WorkerHost.StartAsync(settings);
            var stray = RandomNumberGenerator.GetBytes(1500);
            var digest = Digest.Compute(stray);
            using (var push = await worker.Client.PostAsync($"/v2/fn/gc/blobs/uploads/?digest={digest}", new ByteArrayContent(stray)))
            {
                Assert.Equal(HttpStatusCode.Created, push.StatusCode);
            }
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the one-second grace period
            var functions = ActivatorUtilities.CreateInstance<MaintenanceFunctions>(worker.Services);

            var next = new DateTime(2030, 1, 2, 3, 30, 0, DateTimeKind.Utc);
            await functions.CollectGarbageAsync(new TimerInfo { ScheduleStatus = new ScheduleStatus { Next = next } }, CancellationToken.None);
            await functions.PurgeUploadsAsync(new TimerInfo(), CancellationToken.None);

            // The run is recorded for the web UI and `dockyard gc --status`, with the timer's next start.
            var run = Assert.Single(await worker.Services.GetRequiredService<ICollectionHistory>().ListAsync(5, CancellationToken.None));
            Assert.False(run.DryRun);
            Assert.Equal(1, run.BlobsDeleted);
            Assert.Equal(1500, run.BytesFreed);
            Assert.Equal(new DateTimeOffset(next), worker.Services.GetRequiredService<CollectionSchedule>().Planned?.Next);

            Assert.Null(await worker.Services.GetRequiredService<IBlobStore>().StatAsync(digest, CancellationToken.None));
            Assert.False(await worker.Services.GetRequiredService<IMetadataStore>().BlobLinks.IsLinkedAnywhereAsync(digest, CancellationToken.None));
            using var gone = await worker.Client.GetAsync($"/v2/fn/gc/blobs/{digest}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        finally
        {
            await WorkerHost.DeleteStorageAsync(settings);
        }
    }

    [Fact]
    public async Task With_gc_interval_0_the_timer_leaves_everything()
    {
        if (WorkerHost.AzuriteSettings() is not { } settings)
        {
            return;
        }
        settings["gc:delay"] = "1";
        settings["gc:interval"] = "0";
        try
        {
            await using var worker = await WorkerHost.StartAsync(settings);
            var stray = RandomNumberGenerator.GetBytes(700);
            var digest = Digest.Compute(stray);
            using (var push = await worker.Client.PostAsync($"/v2/fn/gc/blobs/uploads/?digest={digest}", new ByteArrayContent(stray)))
            {
                Assert.Equal(HttpStatusCode.Created, push.StatusCode);
            }
            await Task.Delay(TimeSpan.FromSeconds(1.5));

            await ActivatorUtilities.CreateInstance<MaintenanceFunctions>(worker.Services).CollectGarbageAsync(new TimerInfo(), CancellationToken.None);

            Assert.NotNull(await worker.Services.GetRequiredService<IBlobStore>().StatAsync(digest, CancellationToken.None));
        }
        finally
        {
            await WorkerHost.DeleteStorageAsync(settings);
        }
    }
}
