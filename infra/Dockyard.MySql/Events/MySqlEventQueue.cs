using Dockyard.Core.Events;

namespace Dockyard.MySql.Events;

/// <summary>
/// The notification outbox (<see cref="IEventQueue"/>) in the same database as the registry metadata: one row per
/// (endpoint, sequence), and one lease row per endpoint. An enqueue for several endpoints is one transaction.
/// </summary>
public sealed class MySqlEventQueue(MySqlDatabase db) : IEventQueue
{
    public Task EnqueueAsync(IReadOnlyList<string> endpoints, string sequence, string payload, CancellationToken cancellationToken) =>
        endpoints.Count == 0 ? Task.CompletedTask : db.WriteAsync(async (c, t) =>
        {
            foreach (var endpoint in endpoints)
            {
                await MySqlDatabase.ExecuteAsync(c, t, "INSERT INTO notification_events (endpoint, seq, payload) VALUES (@e, @s, @p)",
                    cancellationToken, ("@e", endpoint), ("@s", sequence), ("@p", payload));
            }
            return endpoints.Count;
        }, cancellationToken);

    public async Task<IReadOnlyList<QueuedEvent>> PeekAsync(string endpoint, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT endpoint, seq, payload, attempts, last_attempt FROM notification_events WHERE endpoint = @e ORDER BY seq LIMIT @limit",
            r => new QueuedEvent(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), MySqlText.NullableTime(r, 4)),
            cancellationToken, ("@e", endpoint), ("@limit", limit));

    public Task RemoveAsync(string endpoint, IReadOnlyList<string> sequences, CancellationToken cancellationToken) =>
        sequences.Count == 0 ? Task.CompletedTask : db.WriteAsync(async (c, t) =>
        {
            foreach (var sequence in sequences)
            {
                await MySqlDatabase.ExecuteAsync(c, t, "DELETE FROM notification_events WHERE endpoint = @e AND seq = @s",
                    cancellationToken, ("@e", endpoint), ("@s", sequence));
            }
            return sequences.Count;
        }, cancellationToken);

    public Task RecordFailureAsync(string endpoint, string sequence, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.ExecuteAsync("UPDATE notification_events SET attempts = attempts + 1, last_attempt = @at WHERE endpoint = @e AND seq = @s",
            cancellationToken, ("@e", endpoint), ("@s", sequence), ("@at", MySqlText.Time(at)));

    /// <summary>The endpoint's lease when none is held, or this holder's, or an expired one: an insert, else a conditional update.</summary>
    public async Task<bool> TryLeaseAsync(string endpoint, string holder, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        (string, object?)[] values = [("@e", endpoint), ("@h", holder), ("@until", MySqlText.Time(now + ttl)), ("@now", MySqlText.Time(now))];
        return await db.TryInsertAsync("INSERT INTO notification_leases (endpoint, holder, expires_at) VALUES (@e, @h, @until)", cancellationToken, values)
            || await db.ExecuteAsync("""
                UPDATE notification_leases SET holder = @h, expires_at = @until WHERE endpoint = @e AND (holder = @h OR expires_at <= @now)
                """, cancellationToken, values) > 0;
    }

    public Task ReleaseAsync(string endpoint, string holder, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM notification_leases WHERE endpoint = @e AND holder = @h", cancellationToken, ("@e", endpoint), ("@h", holder));
}
