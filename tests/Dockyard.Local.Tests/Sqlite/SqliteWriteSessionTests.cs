using System.Runtime.Versioning;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>
/// Writes run on one connection kept open with its prepared statements: each write still sees what another connection
/// (another process, the admin CLI) committed before it, a write that did not commit leaves its connection behind, and
/// disposing the database closes the kept one.
/// </summary>
public sealed class SqliteWriteSessionTests : IDisposable
{
    private const string Rename = "UPDATE repositories SET name = $to WHERE name = $from";
    private readonly TempFolder folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task A_write_acts_on_what_another_connection_committed_since_the_previous_write()
    {
        var path = folder.Combine("metadata.db");
        using var db = new SqliteDatabase(path);
        using var other = new SqliteDatabase(path);

        for (var i = 0; i < 5; i++)
        {
            await Insert(db, $"mine{i}");
            await Insert(other, $"theirs{i}");
            Assert.Equal(1, await db.ExecuteAsync(Rename, CancellationToken.None, ("$to", $"renamed{i}"), ("$from", $"theirs{i}")));
        }

        Assert.Equal(["mine0", "mine1", "mine2", "mine3", "mine4", "renamed0", "renamed1", "renamed2", "renamed3", "renamed4"], await NamesAsync(other));
    }

    [Fact]
    public async Task A_write_that_did_not_commit_leaves_its_connection_behind()
    {
        using var db = new SqliteDatabase(folder.Combine("metadata.db"));
        await Insert(db, "before");

        // A setting of the connection itself, which a reused connection would keep.
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.WriteAsync<int>(async (c, t) =>
        {
            await SqliteDatabase.ExecuteAsync(c, t, "PRAGMA query_only = 1", CancellationToken.None);
            throw new InvalidOperationException("work failed");
        }, CancellationToken.None));
        await Insert(db, "after");

        Assert.Equal(["after", "before"], await NamesAsync(db));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Disposing_the_database_closes_the_connection_it_kept_for_writes()
    {
        var path = folder.Combine("metadata.db");
        var db = new SqliteDatabase(path);
        await Insert(db, "a");
        SqliteConnection.ClearAllPools();
        Assert.True(SqliteFileHandles.Count(path) > 0, "no connection was kept open for writes");

        db.Dispose();
        SqliteConnection.ClearAllPools();

        Assert.Equal(0, SqliteFileHandles.Count(path));
    }

    private static Task<int> Insert(SqliteDatabase db, string name) =>
        db.ExecuteAsync("INSERT INTO repositories (name) VALUES ($name)", CancellationToken.None, ("$name", name));

    private static Task<List<string>> NamesAsync(SqliteDatabase db) =>
        db.QueryAsync("SELECT name FROM repositories ORDER BY name", r => r.GetString(0), CancellationToken.None);
}
