using System.Text.Json;
using Dockyard.Core.Events;

namespace Dockyard.Core.Tests.Events;

public sealed class EventSequenceTests
{
    /// <summary>A clock stuck at one instant, as when many events are queued within one tick.</summary>
    private sealed class FrozenClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void Sequences_taken_at_once_on_many_threads_are_distinct_fixed_width_and_increase_in_taking_order()
    {
        var clock = new FrozenClock(DateTimeOffset.UtcNow.AddYears(1));
        var taken = new List<string>[8];
        Parallel.For(0, taken.Length, i => taken[i] = [.. Enumerable.Range(0, 2000).Select(_ => EventSequence.Next(clock))]);

        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, s => Assert.Matches("^[0-9]{19}-[0-9a-f]{8}$", s));
        // Within one thread each is above the one before, even though the clock did not move.
        Assert.All(taken, t => Assert.Equal(t.Order(StringComparer.Ordinal), t));
    }

    [Fact]
    public void A_clock_that_goes_back_never_makes_a_sequence_go_back()
    {
        var later = EventSequence.Next(new FrozenClock(DateTimeOffset.UtcNow.AddYears(2)));
        var earlier = EventSequence.Next(new FrozenClock(DateTimeOffset.UtcNow));
        Assert.True(string.CompareOrdinal(later, earlier) < 0);
    }

    [Fact]
    public void The_envelope_holds_the_queued_events_in_order_as_valid_json()
    {
        var events = new[] { "{\"id\":\"a\"}", "{\"id\":\"b\"}" }.Select((p, i) => new QueuedEvent("hook", $"{i}", p, 0, null));
        using var envelope = JsonDocument.Parse(EventEnvelope.Of(events));
        Assert.Equal(["a", "b"], envelope.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal("application/vnd.docker.distribution.events.v1+json", EventEnvelope.MediaType);
    }
}
