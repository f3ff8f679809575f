namespace Dockyard.Core.Events;

/// <summary>The body of a notification request: Distribution's envelope, <c>{"events":[…]}</c>, oldest event first.</summary>
public static class EventEnvelope
{
    public const string MediaType = "application/vnd.docker.distribution.events.v1+json";

    /// <summary>The envelope of queued events; their payloads are already event JSON and are joined as they are.</summary>
    public static string Of(IEnumerable<QueuedEvent> events) => "{\"events\":[" + string.Join(",", events.Select(e => e.Payload)) + "]}";
}
