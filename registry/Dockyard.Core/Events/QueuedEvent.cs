namespace Dockyard.Core.Events;

/// <summary>
/// One event waiting in an endpoint's queue: its place (<paramref name="Sequence"/>), the event's JSON as sent inside
/// the envelope, and the failed deliveries so far (<paramref name="LastAttempt"/> null when none failed).
/// </summary>
public sealed record QueuedEvent(string Endpoint, string Sequence, string Payload, int Attempts, DateTimeOffset? LastAttempt);
