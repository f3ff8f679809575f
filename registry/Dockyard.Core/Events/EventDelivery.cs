namespace Dockyard.Core.Events;

/// <summary>What one delivery round did for one endpoint: events delivered, and the failure that stopped it (null when none).</summary>
public sealed record EndpointDelivery(string Endpoint, int Delivered, string? Failure, int Attempts);

/// <summary>
/// Sends each endpoint's queued events, oldest first, in envelopes of up to <see cref="MaxBatch"/>, and removes them
/// only once the endpoint accepted them: at least once, in order per endpoint. A failure stops that endpoint's round
/// and is recorded on its oldest event, whose attempts set the back-off (<see cref="NotificationEndpoint.RetryDelay"/>),
/// so a restarted or another node backs off the same way. Several nodes may run rounds at once: each endpoint is
/// delivered by the holder of its lease only.
/// </summary>
public sealed class EventDelivery(IEventQueue queue, IEventSender sender, NotificationOptions options, TimeProvider time)
{
    public const int MaxBatch = 10;

    /// <summary>One round over every endpoint; endpoints leased by another node, empty or backing off are skipped.</summary>
    public async Task<IReadOnlyList<EndpointDelivery>> DeliverAsync(CancellationToken cancellationToken)
    {
        var results = new List<EndpointDelivery>();
        foreach (var endpoint in options.Endpoints)
        {
            if (await DeliverAsync(endpoint, cancellationToken) is { } result)
            {
                results.Add(result);
            }
        }
        return results;
    }

    private async Task<EndpointDelivery?> DeliverAsync(NotificationEndpoint endpoint, CancellationToken cancellationToken)
    {
        // A read first: an idle endpoint costs no write per round.
        if ((await queue.PeekAsync(endpoint.Name, 1, cancellationToken)).Count == 0)
        {
            return null;
        }
        var holder = options.Source.InstanceId;
        if (!await queue.TryLeaseAsync(endpoint.Name, holder, time.GetUtcNow(), endpoint.LeaseTime, cancellationToken))
        {
            return null;
        }
        var delivered = 0;
        try
        {
            while (true)
            {
                var batch = await queue.PeekAsync(endpoint.Name, MaxBatch, cancellationToken);
                if (batch.Count == 0)
                {
                    return delivered == 0 ? null : new EndpointDelivery(endpoint.Name, delivered, null, 0);
                }
                var head = batch[0];
                if (head.LastAttempt is { } last && last + endpoint.RetryDelay(head.Attempts) > time.GetUtcNow())
                {
                    return delivered == 0 ? null : new EndpointDelivery(endpoint.Name, delivered, null, 0);
                }
                // Renewed before each request, so the lease outlives it (LeaseTime covers the timeout twice).
                if (!await queue.TryLeaseAsync(endpoint.Name, holder, time.GetUtcNow(), endpoint.LeaseTime, cancellationToken))
                {
                    return new EndpointDelivery(endpoint.Name, delivered, "the lease was taken over by another node", 0);
                }
                var sent = await sender.SendAsync(endpoint, EventEnvelope.Of(batch), cancellationToken);
                if (!sent.Delivered)
                {
                    await queue.RecordFailureAsync(endpoint.Name, head.Sequence, time.GetUtcNow(), cancellationToken);
                    return new EndpointDelivery(endpoint.Name, delivered, sent.Failure, head.Attempts + 1);
                }
                await queue.RemoveAsync(endpoint.Name, [.. batch.Select(e => e.Sequence)], cancellationToken);
                delivered += batch.Count;
            }
        }
        finally
        {
            await queue.ReleaseAsync(endpoint.Name, holder, CancellationToken.None);
        }
    }
}
