namespace Dockyard.Core.Events;

/// <summary>The configured webhook endpoints (none: notifications are off and cost nothing) and this instance's identity in events.</summary>
public sealed class NotificationOptions
{
    public IReadOnlyList<NotificationEndpoint> Endpoints { get; init; } = [];

    /// <summary>The <c>source</c> of every event this process emits; its instance id also names this process's delivery leases.</summary>
    public EventSource Source { get; init; } = new(Environment.MachineName, Guid.NewGuid().ToString());

    public bool Enabled => Endpoints.Count > 0;
}
