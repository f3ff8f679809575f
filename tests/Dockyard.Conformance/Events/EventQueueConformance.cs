using Dockyard.Core.Events;

namespace Dockyard.Conformance.Events;

/// <summary>
/// The behaviour every <see cref="IEventQueue"/> must show: per-endpoint queues read back in sequence order, removal
/// only of what was delivered (so a crashed delivery leaves everything for the next attempt), failure counts, concurrent
/// enqueues all kept, and a lease only one holder has at a time until it expires or is released.
/// </summary>
public abstract class EventQueueConformance : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 15, 0, 0, TimeSpan.Zero);
    private IEventQueue? queue;

    private IEventQueue Queue => queue ?? throw new InvalidOperationException("the queue is created in InitializeAsync");

    /// <summary>Creates a fresh, empty queue.</summary>
    protected abstract Task<IEventQueue> CreateQueueAsync();

    /// <summary>Removes whatever <see cref="CreateQueueAsync"/> made.</summary>
    protected virtual Task DestroyQueueAsync(IEventQueue queue) => Task.CompletedTask;

    public async Task InitializeAsync() => queue = await CreateQueueAsync();

    public async Task DisposeAsync()
    {
        if (queue is not null)
        {
            await DestroyQueueAsync(queue);
        }
    }

    private async Task<List<string>> EnqueueAsync(int count, params string[] endpoints)
    {
        var sequences = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var sequence = EventSequence.Next(TimeProvider.System);
            await Queue.EnqueueAsync(endpoints, sequence, $"{{\"n\":{i}}}", Ct);
            sequences.Add(sequence);
        }
        return sequences;
    }

    [Fact]
    public async Task Events_are_read_oldest_first_and_removed_only_when_delivered()
    {
        var sequences = await EnqueueAsync(25, "hook");
        var first = await Queue.PeekAsync("hook", 10, Ct);
        Assert.Equal(sequences[..10], first.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{{\"n\":{i}}}"), first.Select(e => e.Payload));
        Assert.All(first, e => Assert.Equal(("hook", 0, (DateTimeOffset?)null), (e.Endpoint, e.Attempts, e.LastAttempt)));
        Assert.Equal(sequences[..10], (await Queue.PeekAsync("hook", 10, Ct)).Select(e => e.Sequence));

        await Queue.RemoveAsync("hook", [.. first.Select(e => e.Sequence)], Ct);
        Assert.Equal(sequences[10..], (await Queue.PeekAsync("hook", 100, Ct)).Select(e => e.Sequence));
        await Queue.RemoveAsync("hook", [first[0].Sequence, "0000000000000000000-00000000"], Ct);
        Assert.Equal(15, (await Queue.PeekAsync("hook", 100, Ct)).Count);
    }

    [Fact]
    public async Task Each_endpoint_has_a_queue_of_its_own()
    {
        var both = await EnqueueAsync(3, "a", "b");
        var onlyB = await EnqueueAsync(2, "b");
        await Queue.EnqueueAsync([], EventSequence.Next(TimeProvider.System), "{}", Ct);

        Assert.Equal(both, (await Queue.PeekAsync("a", 10, Ct)).Select(e => e.Sequence));
        Assert.Equal(both.Concat(onlyB), (await Queue.PeekAsync("b", 10, Ct)).Select(e => e.Sequence));
        await Queue.RemoveAsync("a", both, Ct);
        await Queue.RecordFailureAsync("b", both[0], Now, Ct);

        Assert.Empty(await Queue.PeekAsync("a", 10, Ct));
        var b = await Queue.PeekAsync("b", 10, Ct);
        Assert.Equal(both.Concat(onlyB), b.Select(e => e.Sequence));
        Assert.Equal(1, b[0].Attempts);
        Assert.Empty(await Queue.PeekAsync("c", 10, Ct));
        Assert.True(await Queue.TryLeaseAsync("a", "node-1", Now, TimeSpan.FromMinutes(1), Ct));
        Assert.True(await Queue.TryLeaseAsync("b", "node-2", Now, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task A_crashed_delivery_leaves_its_events_and_failures_for_the_next_holder()
    {
        var sequences = await EnqueueAsync(3, "hook");
        Assert.True(await Queue.TryLeaseAsync("hook", "crashed", Now, TimeSpan.FromSeconds(10), Ct));
        var batch = await Queue.PeekAsync("hook", 10, Ct);
        await Queue.RecordFailureAsync("hook", batch[0].Sequence, Now, Ct);
        await Queue.RecordFailureAsync("hook", batch[0].Sequence, Now.AddSeconds(1), Ct);
        // The holder dies here: no removal, no release.

        Assert.False(await Queue.TryLeaseAsync("hook", "next", Now.AddSeconds(5), TimeSpan.FromSeconds(10), Ct));
        Assert.True(await Queue.TryLeaseAsync("hook", "next", Now.AddSeconds(11), TimeSpan.FromSeconds(10), Ct));
        var again = await Queue.PeekAsync("hook", 10, Ct);
        Assert.Equal(sequences, again.Select(e => e.Sequence));
        Assert.Equal(2, again[0].Attempts);
        Assert.Equal(Now.AddSeconds(1), again[0].LastAttempt);
        Assert.Equal(0, again[1].Attempts);
    }

    [Fact]
    public async Task Recording_a_failure_of_a_removed_event_changes_nothing()
    {
        var sequences = await EnqueueAsync(1, "hook");
        await Queue.RemoveAsync("hook", sequences, Ct);
        await Queue.RecordFailureAsync("hook", sequences[0], Now, Ct);
        Assert.Empty(await Queue.PeekAsync("hook", 10, Ct));
    }

    [Fact]
    public async Task Concurrent_enqueues_are_all_kept_once_in_sequence_order()
    {
        var sequences = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var sequence = EventSequence.Next(TimeProvider.System);
            await Queue.EnqueueAsync(["a", "b"], sequence, $"{{\"n\":{i}}}", Ct);
            return sequence;
        }));
        var expected = sequences.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(40, expected.Distinct().Count());
        Assert.Equal(expected, (await Queue.PeekAsync("a", 100, Ct)).Select(e => e.Sequence));
        Assert.Equal(expected, (await Queue.PeekAsync("b", 100, Ct)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_lease_has_one_holder_until_it_expires_or_is_released()
    {
        var ttl = TimeSpan.FromSeconds(30);
        Assert.True(await Queue.TryLeaseAsync("hook", "node-1", Now, ttl, Ct));
        Assert.False(await Queue.TryLeaseAsync("hook", "node-2", Now.AddSeconds(1), ttl, Ct));
        Assert.True(await Queue.TryLeaseAsync("hook", "node-1", Now.AddSeconds(20), ttl, Ct));
        // Renewed at +20 s, so it still runs at +40 s.
        Assert.False(await Queue.TryLeaseAsync("hook", "node-2", Now.AddSeconds(40), ttl, Ct));
        await Queue.ReleaseAsync("hook", "node-2", Ct);
        Assert.False(await Queue.TryLeaseAsync("hook", "node-2", Now.AddSeconds(41), ttl, Ct));
        await Queue.ReleaseAsync("hook", "node-1", Ct);
        Assert.True(await Queue.TryLeaseAsync("hook", "node-2", Now.AddSeconds(42), ttl, Ct));
        Assert.True(await Queue.TryLeaseAsync("hook", "node-1", Now.AddSeconds(80), ttl, Ct));
    }

    [Fact]
    public async Task Concurrent_lease_attempts_have_one_winner()
    {
        var won = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Queue.TryLeaseAsync("hook", $"node-{i}", Now, TimeSpan.FromMinutes(1), Ct)));
        Assert.Equal(1, won.Count(w => w));
    }
}
