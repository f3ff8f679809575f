using Dockyard.Core.Errors;
using Dockyard.Local.Sqlite;
using Microsoft.Data.Sqlite;

namespace Dockyard.Local.Tests.Sqlite;

/// <summary>
/// What the write path must keep with the gate in front of SQLite's lock: many writers at once all commit within a
/// short busy timeout, one held past it makes the next fail as unavailable (503), and a failed one passes its turn on.
/// </summary>
/// <remarks>
/// These hold without the gate too (SQLite's own lock and the driver's retry give the same outcomes, only slower): what
/// the gate removes, the driver's 150 ms sleeps, is a matter of time, measured by bench/run.sh's parallel push.
/// </remarks>
public sealed class SqliteWriteGateTests : IDisposable
{
    private static readonly SqliteDatabaseOptions OneSecond = new() { BusyTimeout = TimeSpan.FromSeconds(1) };
    private readonly TempFolder folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Fact]
    public async Task Many_writers_at_once_all_commit_within_a_one_second_busy_timeout()
    {
        using var db = new SqliteDatabase(folder.Combine("metadata.db"), OneSecond);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            db.ExecuteAsync("INSERT INTO repositories (name) VALUES ($name)", CancellationToken.None, ("$name", $"r{i:D2}")))));

        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"r{i:D2}"), await NamesAsync(db));
    }

    [Fact]
    public async Task A_writer_held_past_the_busy_timeout_makes_the_next_unavailable_and_then_lets_it_in()
    {
        using var db = new SqliteDatabase(folder.Combine("metadata.db"), OneSecond);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = db.WriteAsync(async (c, t) =>
        {
            inside.SetResult();
            await release.Task;
            return await SqliteDatabase.ExecuteAsync(c, t, "INSERT INTO repositories (name) VALUES ('first')", CancellationToken.None);
        }, CancellationToken.None);
        await inside.Task;

        var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() => Insert(db, "refused"));
        Assert.Equal("sqlite", refused.Backend);
        release.SetResult();
        await holder;
        await Insert(db, "second");

        Assert.Equal(["first", "second"], await NamesAsync(db));
    }

    [Fact]
    public async Task A_writer_whose_work_fails_passes_its_turn_on_and_commits_nothing()
    {
        using var db = new SqliteDatabase(folder.Combine("metadata.db"), OneSecond);

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.WriteAsync<int>(async (c, t) =>
        {
            await SqliteDatabase.ExecuteAsync(c, t, "INSERT INTO repositories (name) VALUES ('rolled-back')", CancellationToken.None);
            throw new InvalidOperationException("work failed");
        }, CancellationToken.None));
        await Insert(db, "next");

        Assert.Equal(["next"], await NamesAsync(db));
    }

    private static Task<int> Insert(SqliteDatabase db, string name) =>
        db.ExecuteAsync("INSERT INTO repositories (name) VALUES ($name)", CancellationToken.None, ("$name", name));

    private static Task<List<string>> NamesAsync(SqliteDatabase db) =>
        db.QueryAsync("SELECT name FROM repositories ORDER BY name", r => r.GetString(0), CancellationToken.None);
}
