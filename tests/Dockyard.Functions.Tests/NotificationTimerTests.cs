using Dockyard.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Functions.Tests;

/// <summary>
/// The worker's notification timer on Azure Tables: requests on two instances queue events, both instances' timers fire
/// together, and the receiver gets every event once, in push order (the per-endpoint lease keeps them from racing).
/// </summary>
public sealed class NotificationTimerTests
{
    [Fact]
    public async Task Timers_on_two_instances_deliver_every_event_once_in_order()
    {
        await using var receiver = await EventReceiver.StartAsync();
        if (WorkerHost.AzuriteSettings() is not { } settings)
        {
            return;
        }
        settings["notifications:endpoints"] = "hook";
        settings["notifications.hook:url"] = receiver.Url.ToString();
        try
        {
            await using var first = await WorkerHost.StartAsync(settings);
            await using var second = await WorkerHost.StartAsync(settings);
            var tags = Enumerable.Range(0, 8).Select(i => $"v{i}").ToList();
            foreach (var (tag, i) in tags.Select((t, i) => (t, i)))
            {
                await TestImage.PushAsync((i % 2 == 0 ? first : second).Client, "fn/app", tag);
            }
            Assert.Empty(receiver.Requests);

            var timers = new[] { first, second }.Select(w => ActivatorUtilities.CreateInstance<NotificationFunctions>(w.Services)).ToList();
            for (var round = 0; round < 20 && receiver.Events.Count < tags.Count; round++)
            {
                await Task.WhenAll(timers.Select(t => t.Deliver(new TimerInfo(), CancellationToken.None)));
            }

            Assert.Equal(tags, receiver.Events.Select(e => e.GetProperty("target").GetProperty("tag").GetString()));
        }
        finally
        {
            await WorkerHost.DeleteStorageAsync(settings);
        }
    }
}
