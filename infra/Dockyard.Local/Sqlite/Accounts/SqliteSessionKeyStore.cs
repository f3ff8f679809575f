using Dockyard.Core.Accounts;

namespace Dockyard.Local.Sqlite.Accounts;

/// <summary>The web UI's session key ring (<see cref="ISessionKeyStore"/>) in the metadata file: one row per key, never updated.</summary>
public sealed class SqliteSessionKeyStore : ISessionKeyStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS session_keys (name TEXT NOT NULL PRIMARY KEY, content TEXT NOT NULL) WITHOUT ROWID;
        """;

    private readonly SqliteDatabase db;

    public SqliteSessionKeyStore(SqliteDatabase db)
    {
        this.db = db;
        db.EnsureSchema(Schema);
    }

    public async Task<IReadOnlyList<StoredSessionKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.QueryAsync("SELECT name, content FROM session_keys ORDER BY name", r => new StoredSessionKey(r.GetString(0), r.GetString(1)), cancellationToken);

    public async Task<bool> TryAddAsync(StoredSessionKey key, CancellationToken cancellationToken) =>
        await db.ExecuteAsync("INSERT OR IGNORE INTO session_keys (name, content) VALUES ($n, $c)", cancellationToken, ("$n", key.Name), ("$c", key.Content)) == 1;
}
