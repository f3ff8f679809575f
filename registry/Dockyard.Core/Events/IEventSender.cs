namespace Dockyard.Core.Events;

/// <summary>Sends one envelope to an endpoint (the host's HTTP client); Core decides what to send and when.</summary>
public interface IEventSender
{
    /// <summary>
    /// POSTs <paramref name="envelope"/> (<see cref="EventEnvelope.MediaType"/>) with the endpoint's headers and
    /// timeout. Never throws for the endpoint's faults: a refusal, a timeout or an unreachable host is a result
    /// with <see cref="EventSendResult.Delivered"/> false and the reason.
    /// </summary>
    Task<EventSendResult> SendAsync(NotificationEndpoint endpoint, string envelope, CancellationToken cancellationToken);
}

/// <summary>The outcome of one request: delivered (a 2xx answer), or not and why (a status code, a timeout, a network error).</summary>
public sealed record EventSendResult(bool Delivered, string? Failure)
{
    public static readonly EventSendResult Ok = new(true, null);

    public static EventSendResult Failed(string reason) => new(false, reason);
}
