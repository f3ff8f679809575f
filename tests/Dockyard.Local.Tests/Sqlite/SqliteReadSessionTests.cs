using System.Runtime.Versioning;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>
/// Reads run on connections kept open with their prepared statements: each query still sees every commit before it,
/// a failed query's connection is not reused, disposing the database closes them, and a listing's statement is not
/// prepared again on each run.
/// </summary>
public sealed class SqliteReadSessionTests : IDisposable
{
    private const string CountRepositories = "SELECT COUNT(*) FROM repositories WHERE name >= $from";
    private readonly TempFolder folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task A_repeated_query_sees_each_commit_made_between_its_runs()
    {
        using var db = new SqliteDatabase(folder.Combine("metadata.db"));

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i, await CountAsync(db));
            await db.ExecuteAsync("INSERT INTO repositories (name) VALUES ($name)", CancellationToken.None, ("$name", $"r{i:D2}"));
        }
        Assert.Equal(20, await CountAsync(db));
    }

    [Fact]
    public async Task A_listing_bound_to_a_new_limit_on_each_run_keeps_its_prepared_statement()
    {
        // SQLITE_STMTSTATUS_REPREPARE (sqlite3.h): how often SQLite parsed and planned the statement again.
        const int Reprepare = 5;
        using var db = new SqliteDatabase(folder.Combine("metadata.db"));
        for (var i = 0; i < 5; i++)
        {
            await db.ExecuteAsync("INSERT INTO repositories (name) VALUES ($name)", CancellationToken.None, ("$name", $"r{i}"));
        }

        var reprepared = new List<int>();
        for (var limit = 1; limit <= 4; limit++)
        {
            var names = await db.QueryAsync("SELECT name FROM repositories WHERE name > $after ORDER BY name LIMIT $limit", r =>
            {
                reprepared.Add(raw.sqlite3_stmt_status(r.Handle!, Reprepare, 0));
                return r.GetString(0);
            }, CancellationToken.None, ("$after", ""), ("$limit", limit));
            Assert.Equal(Enumerable.Range(0, limit).Select(i => $"r{i}"), names);
        }

        Assert.All(reprepared, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task A_query_that_failed_leaves_later_queries_working()
    {
        using var db = new SqliteDatabase(folder.Combine("metadata.db"));
        await db.ExecuteAsync("INSERT INTO repositories (name) VALUES ('a')", CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.QueryAsync<long>(CountRepositories, _ => throw new InvalidOperationException("map failed"),
            CancellationToken.None, ("$from", "")));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.QueryAsync(CountRepositories, r => r.GetInt64(0), cancelled.Token, ("$from", "")));

        Assert.Equal(1, await CountAsync(db));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Disposing_the_database_closes_the_connections_it_kept_for_reads()
    {
        var path = folder.Combine("metadata.db");
        var db = new SqliteDatabase(path);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => CountAsync(db))));
        SqliteConnection.ClearAllPools();
        Assert.True(SqliteFileHandles.Count(path) > 0, "no connection was kept open for reads");

        db.Dispose();
        SqliteConnection.ClearAllPools();

        Assert.Equal(0, SqliteFileHandles.Count(path));
    }

    private static async Task<long> CountAsync(SqliteDatabase db) =>
        (await db.QueryAsync(CountRepositories, r => r.GetInt64(0), CancellationToken.None, ("$from", ""))).Single();
}
