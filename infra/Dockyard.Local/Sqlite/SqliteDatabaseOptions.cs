namespace Dockyard.Local.Sqlite;

/// <summary>How the SQLite metadata file is used (<c>[db] busytimeout</c>).</summary>
public sealed class SqliteDatabaseOptions
{
    /// <summary>
    /// How long a statement waits for a lock another connection or process holds before giving up, which the
    /// registry answers with 503 (whole seconds, at least one: SQLite's driver reads zero as "wait forever").
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
