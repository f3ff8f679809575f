using Dockyard.Core.Events;

namespace Dockyard.Local.Sqlite.Events;

/// <summary>
/// The notification outbox (<see cref="IEventQueue"/>) in the same SQLite file as the registry metadata: one row per
/// (endpoint, sequence), and one lease row per endpoint. An enqueue for several endpoints is one transaction.
/// </summary>
public sealed class SqliteEventQueue : IEventQueue
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS notification_events (
            endpoint TEXT NOT NULL, sequence TEXT NOT NULL, payload TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, last_attempt TEXT,
            PRIMARY KEY (endpoint, sequence)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS notification_leases (
            endpoint TEXT NOT NULL PRIMARY KEY, holder TEXT NOT NULL, expires_at TEXT NOT NULL) WITHOUT ROWID;
        """;

    private readonly SqliteDatabase db;

    public SqliteEventQueue(SqliteDatabase db)
    {
        this.db = db;
        db.EnsureSchema(Schema);
    }

    public Task EnqueueAsync(IReadOnlyList<string> endpoints, string sequence, string payload, CancellationToken cancellationToken) =>
        endpoints.Count == 0 ? Task.CompletedTask : db.WriteAsync(async (c, t) =>
        {
            foreach (var endpoint in endpoints)
            {
                await SqliteDatabase.ExecuteAsync(c, t, "INSERT INTO notification_events (endpoint, sequence, payload) VALUES ($e, $s, $p)",
                    cancellationToken, ("$e", endpoint), ("$s", sequence), ("$p", payload));
            }
            return endpoints.Count;
        }, cancellationToken);

    public async Task<IReadOnlyList<QueuedEvent>> PeekAsync(string endpoint, int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT endpoint, sequence, payload, attempts, last_attempt FROM notification_events WHERE endpoint = $e ORDER BY sequence LIMIT $limit",
            r => new QueuedEvent(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3),
                SqliteText.Nullable(r, 4) is { } last ? SqliteText.ParseTime(last) : null),
            cancellationToken, ("$e", endpoint), ("$limit", limit));

    public Task RemoveAsync(string endpoint, IReadOnlyList<string> sequences, CancellationToken cancellationToken) =>
        sequences.Count == 0 ? Task.CompletedTask : db.WriteAsync(async (c, t) =>
        {
            foreach (var sequence in sequences)
            {
                await SqliteDatabase.ExecuteAsync(c, t, "DELETE FROM notification_events WHERE endpoint = $e AND sequence = $s",
                    cancellationToken, ("$e", endpoint), ("$s", sequence));
            }
            return sequences.Count;
        }, cancellationToken);

    public Task RecordFailureAsync(string endpoint, string sequence, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.ExecuteAsync("UPDATE notification_events SET attempts = attempts + 1, last_attempt = $at WHERE endpoint = $e AND sequence = $s",
            cancellationToken, ("$e", endpoint), ("$s", sequence), ("$at", SqliteText.Time(at)));

    public async Task<bool> TryLeaseAsync(string endpoint, string holder, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            INSERT INTO notification_leases (endpoint, holder, expires_at) VALUES ($e, $h, $until)
            ON CONFLICT (endpoint) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE notification_leases.holder = excluded.holder OR notification_leases.expires_at <= $now
            """, cancellationToken, ("$e", endpoint), ("$h", holder), ("$until", SqliteText.Time(now + ttl)), ("$now", SqliteText.Time(now))) > 0;

    public Task ReleaseAsync(string endpoint, string holder, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM notification_leases WHERE endpoint = $e AND holder = $h", cancellationToken, ("$e", endpoint), ("$h", holder));
}
