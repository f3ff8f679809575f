using Dockyard.Core.Collection;

namespace Dockyard.Local.Sqlite;

/// <summary>
/// Garbage collection's recent runs (<see cref="ICollectionHistory"/>) in the metadata file: one row per run keyed
/// newest first (<see cref="CollectionRunText.Key"/>), the run as JSON.
/// </summary>
public sealed class SqliteCollectionHistory : ICollectionHistory
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS gc_runs (id TEXT NOT NULL PRIMARY KEY, content TEXT NOT NULL) WITHOUT ROWID;
        """;

    // Keys sort newest first: everything after the Kept-th key is older than the runs kept.
    private static readonly string Trim =
        $"DELETE FROM gc_runs WHERE id > (SELECT id FROM gc_runs ORDER BY id LIMIT 1 OFFSET {ICollectionHistory.Kept - 1})";

    private readonly SqliteDatabase db;

    public SqliteCollectionHistory(SqliteDatabase db)
    {
        this.db = db;
        db.EnsureSchema(Schema);
    }

    public Task RecordAsync(CollectionRun run, CancellationToken cancellationToken) =>
        db.WriteAsync(async (connection, transaction) =>
        {
            await SqliteDatabase.ExecuteAsync(connection, transaction, "INSERT INTO gc_runs (id, content) VALUES ($id, $c)", cancellationToken,
                ("$id", CollectionRunText.Key(run)), ("$c", CollectionRunText.Format(run)));
            return await SqliteDatabase.ExecuteAsync(connection, transaction, Trim, cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<CollectionRun>> ListAsync(int limit, CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT content FROM gc_runs ORDER BY id LIMIT $n", r => CollectionRunText.Parse(r.GetString(0)), cancellationToken, ("$n", limit));
}
