namespace Dockyard.Local.Sqlite;

/// <summary>How the SQLite metadata file is used (<c>[db] busytimeout</c>).</summary>
public sealed class SqliteDatabaseOptions
{
    /// <summary>
    /// How long a statement waits for a lock another connection or process holds before giving up, which the
    /// registry answers with 503 (whole seconds, at least one: SQLite's driver reads zero as "wait forever").
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// False (a store built on its own): the stores' schema is created as each is built. True (the registry's
    /// composition): it is created in one transaction by <see cref="SqliteDatabase.PrepareAsync"/>, which the host calls
    /// while Kestrel starts, or by the first statement, and every statement waits for it.
    /// </summary>
    public bool DeferSchema { get; init; }
}
