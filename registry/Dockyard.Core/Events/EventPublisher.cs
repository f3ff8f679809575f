using System.Text.Json;

namespace Dockyard.Core.Events;

/// <summary>
/// Turns what a request did into a <see cref="RegistryEvent"/> and queues it durably for every endpoint that wants it,
/// before the request answers. With no endpoint configured <see cref="Enabled"/> is false and callers do nothing at all.
/// </summary>
public sealed class EventPublisher(IEventQueue queue, NotificationOptions options, EventSignal signal, TimeProvider time)
{
    private readonly HashSet<string> wanted = [.. EventActions.All.Where(a => options.Endpoints.Any(e => !e.IgnoredActions.Contains(a)))];

    /// <summary>False when no endpoint is configured: check it before building anything for an event.</summary>
    public bool Enabled => options.Enabled;

    /// <summary>True when some endpoint takes events of <paramref name="action"/> (false for pulls when every endpoint ignores them).</summary>
    public bool Wants(string action) => wanted.Contains(action);

    /// <summary>
    /// Queues the event for each endpoint whose filters accept it. Not cancellable: the change it reports has already
    /// happened, so a client hanging up must not lose its event. A store failure surfaces (503) so the client retries.
    /// </summary>
    public async Task PublishAsync(string action, EventTarget target, EventRequest request, string? actor)
    {
        if (!options.Enabled)
        {
            return;
        }
        var endpoints = options.Endpoints.Where(e => e.Accepts(action, target.MediaType)).Select(e => e.Name).ToList();
        if (endpoints.Count == 0)
        {
            return;
        }
        var sequence = EventSequence.Next(time);
        var payload = new RegistryEvent(Guid.NewGuid().ToString(), time.GetUtcNow().UtcDateTime, action, target, request, new EventActor(actor), options.Source);
        await queue.EnqueueAsync(endpoints, sequence, JsonSerializer.Serialize(payload, EventJson.Default.RegistryEvent), CancellationToken.None);
        signal.Pulse();
    }
}
