using Dockyard.Core.Errors;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>Which SQLite failures are the storage being unavailable for now, and which stay errors.</summary>
public sealed class SqliteDatabaseFaultTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task A_full_database_is_storage_unavailable()
    {
        var db = new SqliteDatabase(folder.Combine("metadata.db"));

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => db.WriteAsync(async (connection, transaction) =>
        {
            // SQLite's own cap on the file's size, set at its current size: the next page it needs is SQLITE_FULL,
            // as on a full disk.
            await SqliteDatabase.ExecuteAsync(connection, transaction, "PRAGMA max_page_count = 1", CancellationToken.None);
            return await SqliteDatabase.ExecuteAsync(connection, transaction, "INSERT INTO repositories (name) VALUES ($name)", CancellationToken.None,
                ("$name", new string('x', 100_000)));
        }, CancellationToken.None));

        Assert.Equal(SQLitePCL.raw.SQLITE_FULL, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode);
    }

    [Fact]
    public async Task A_constraint_violation_stays_an_error()
    {
        var db = new SqliteDatabase(folder.Combine("metadata.db"));

        var error = await Assert.ThrowsAsync<SqliteException>(() => db.ExecuteAsync("INSERT INTO repositories (name) VALUES (NULL)", CancellationToken.None));

        Assert.Equal(SQLitePCL.raw.SQLITE_CONSTRAINT, error.SqliteErrorCode);
    }
}
