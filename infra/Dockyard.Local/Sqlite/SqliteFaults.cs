using Dockyard.Core.Errors;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace Dockyard.Local.Sqlite;

/// <summary>Tells the SQLite failures that leave nothing changed and may pass (a lock, I/O, a full disk) from errors.</summary>
internal static class SqliteFaults
{
    /// <summary>
    /// True for a lock still held after the busy timeout (BUSY, LOCKED, or PROTOCOL: WAL's lock race), a failing
    /// disk (IOERR) or a full one (FULL). A constraint, a corrupt file or a wrong statement stays a SqliteException.
    /// </summary>
    public static bool IsTransient(SqliteException e) =>
        e.SqliteErrorCode is SQLITE_BUSY or SQLITE_LOCKED or SQLITE_PROTOCOL or SQLITE_IOERR or SQLITE_FULL;

    public static StorageUnavailableException Unavailable(SqliteException e) =>
        new($"the SQLite metadata file is unavailable: {e.Message}", e, "sqlite");
}
