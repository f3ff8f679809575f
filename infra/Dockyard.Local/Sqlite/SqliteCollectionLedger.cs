using Dockyard.Core.Metadata;
using Dockyard.Core.Names;

namespace Dockyard.Local.Sqlite;

/// <summary>Garbage collection's condemned blobs and lease, in two small tables of the metadata file.</summary>
internal sealed class SqliteCollectionLedger : ICollectionLedger
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS gc_condemned (digest TEXT NOT NULL PRIMARY KEY, condemned_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS gc_lease (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, until TEXT NOT NULL);
        """;

    private readonly SqliteDatabase db;

    public SqliteCollectionLedger(SqliteDatabase db)
    {
        this.db = db;
        db.EnsureSchema(Schema);
    }

    public Task CondemnAsync(Digest digest, CancellationToken cancellationToken) =>
        db.ExecuteAsync("INSERT OR REPLACE INTO gc_condemned (digest, condemned_at) VALUES ($digest, $now)",
            cancellationToken, ("$digest", digest.Value), ("$now", SqliteTime.Now()));

    public Task ReleaseAsync(Digest digest, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM gc_condemned WHERE digest = $digest", cancellationToken, ("$digest", digest.Value));

    public async Task<IReadOnlyCollection<Digest>> FindCondemnedAsync(IReadOnlyCollection<Digest> digests, CancellationToken cancellationToken)
    {
        var condemned = new List<Digest>();
        var since = DateTimeOffset.UtcNow - ICollectionLedger.CondemnationLifetime;
        // One query per batch keeps a manifest with hundreds of layers to a few round trips.
        foreach (var batch in digests.Chunk(200))
        {
            var names = batch.Select((_, i) => "$d" + i).ToArray();
            var parameters = batch.Select((d, i) => (names[i], (object?)d.Value)).Append(("$since", SqliteTime.Format(since))).ToArray();
            condemned.AddRange(await db.QueryAsync($"SELECT digest FROM gc_condemned WHERE digest IN ({string.Join(", ", names)}) AND condemned_at >= $since",
                r => Digest.Parse(r.GetString(0)), cancellationToken, parameters));
        }
        return condemned;
    }

    public async Task<bool> TryAcquireLeaseAsync(string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("""
            INSERT INTO gc_lease (id, holder, until) VALUES (1, $holder, $until)
            ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, until = excluded.until
            WHERE gc_lease.holder = excluded.holder OR gc_lease.until < $now
            """, cancellationToken, ("$holder", holder), ("$until", SqliteTime.Format(now + duration)), ("$now", SqliteTime.Format(now))) > 0;

    public Task ReleaseLeaseAsync(string holder, CancellationToken cancellationToken) =>
        db.ExecuteAsync("DELETE FROM gc_lease WHERE holder = $holder", cancellationToken, ("$holder", holder));
}
