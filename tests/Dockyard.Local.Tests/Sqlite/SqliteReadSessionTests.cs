using System.Runtime.Versioning;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>
/// Reads run on connections kept open with their prepared statements: each query still sees every commit before it,
/// a failed query's connection is not reused, the session that finished last runs the next query with its larger page
/// cache, and disposing the database closes them.
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
    public async Task The_session_that_finished_last_runs_the_next_query()
    {
        using var db = new SqliteDatabase(folder.Combine("metadata.db"));
        await RunAtOnceAsync(db, 3);

        // A temporary table exists only on the connection that created it: it tells which session ran a query.
        await db.QueryAsync("CREATE TEMP TABLE IF NOT EXISTS marker (x); SELECT 1", r => r.GetInt64(0), CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            var marked = await db.QueryAsync("SELECT COUNT(*) FROM temp.sqlite_master WHERE name = 'marker'", r => r.GetInt64(0), CancellationToken.None);
            Assert.Equal(1, marked.Single());
        }
    }

    [Fact]
    public async Task A_read_session_has_the_larger_page_cache_and_its_connection_goes_back_to_the_pool_with_the_default()
    {
        var db = new SqliteDatabase(folder.Combine("metadata.db"));
        // One more than the sessions kept on this machine: the last one back goes to the pool at once.
        await RunAtOnceAsync(db, Math.Max(4, Environment.ProcessorCount * 2) + 1);

        // 16 MiB (SqliteReadSessions.PageCacheKib), as a negative cache_size: KiB rather than pages.
        var cacheSize = await db.QueryAsync("PRAGMA cache_size", r => r.GetInt64(0), CancellationToken.None);
        Assert.Equal(-16384, cacheSize.Single());

        db.Dispose();
        var pooled = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => db.OpenAsync(CancellationToken.None)));
        try
        {
            foreach (var connection in pooled)
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA cache_size";
                Assert.Equal(-2000L, (long)(await pragma.ExecuteScalarAsync())!);
            }
        }
        finally
        {
            foreach (var connection in pooled)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Disposing_the_database_closes_the_connections_it_kept_for_reads()
    {
        var path = folder.Combine("metadata.db");
        var db = new SqliteDatabase(path);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => CountAsync(db))));
        SqliteConnection.ClearAllPools();
        Assert.True(OpenHandles(path) > 0, "no connection was kept open for reads");

        db.Dispose();
        SqliteConnection.ClearAllPools();

        Assert.Equal(0, OpenHandles(path));
    }

    // Runs `count` queries that hold their sessions until all of them run, so that many sessions exist.
    private static async Task RunAtOnceAsync(SqliteDatabase db, int count)
    {
        using var barrier = new Barrier(count);
        var met = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Run(async () =>
            (await db.QueryAsync(CountRepositories, r => barrier.SignalAndWait(TimeSpan.FromSeconds(30)), CancellationToken.None, ("$from", ""))).Single())));
        Assert.All(met, Assert.True);
    }

    private static async Task<long> CountAsync(SqliteDatabase db) =>
        (await db.QueryAsync(CountRepositories, r => r.GetInt64(0), CancellationToken.None, ("$from", ""))).Single();

    // This process's file descriptors open on the database file itself (not its -wal or -shm).
    private static int OpenHandles(string path) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget is { } target && target == Path.GetFullPath(path));
}
