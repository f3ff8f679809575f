using Dockyard.Testing;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// Events are queued in the metadata file before the push answers: SIGKILL the real <c>dockyard web</c> with a
/// backlog for a receiver that is down, start it again, bring the receiver up, and every event arrives, in order.
/// </summary>
public sealed class NotificationCrashTests : IDisposable
{
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "dockyard-notify-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dataPath))
        {
            Directory.Delete(dataPath, recursive: true);
        }
    }

    [Fact]
    public async Task Kill_9_with_a_backlog_delivers_every_event_after_restart()
    {
        var port = DockyardProcess.FreePort();
        // The working folder of the process is the data folder, so its conf/runtime.conf is the one read.
        Directory.CreateDirectory(Path.Combine(dataPath, "conf"));
        await File.WriteAllTextAsync(Path.Combine(dataPath, "conf", "runtime.conf"), $"""
            [notifications]
            endpoints = hook

            [notifications.hook]
            url = http://127.0.0.1:{port}/events
            timeout = 1s
            threshold = 1
            backoff = 100ms
            maxbackoff = 500ms
            """);
        var tags = Enumerable.Range(0, 6).Select(i => $"v{i}").ToList();
        await using (var first = await DockyardProcess.StartAsync(dataPath))
        {
            foreach (var tag in tags)
            {
                await TestImage.PushAsync(first.Client, "crash/app", tag);
            }
            // Give the delivery loop time to fail against the closed port a few times, then die without shutting down.
            await Task.Delay(500);
            first.KillHard();
        }

        await using var second = await DockyardProcess.StartAsync(dataPath);
        await TestImage.PushAsync(second.Client, "crash/app", "after");
        await using var receiver = await EventReceiver.StartAsync(port);
        var events = await receiver.WaitForEventsAsync(tags.Count + 1, seconds: 60);
        Assert.Equal([.. tags, "after"], events.Select(e => e.GetProperty("target").GetProperty("tag").GetString()).Distinct());
        Assert.All(events, e => Assert.Equal("push", e.GetProperty("action").GetString()));
        // Two processes, two instance ids: the backlog names the one that saw the pushes.
        Assert.Equal(2, events.Select(e => e.GetProperty("source").GetProperty("instanceID").GetString()).Distinct().Count());
    }
}
