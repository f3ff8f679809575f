using Dockyard.Core.Collection;

namespace Dockyard.Conformance.Collection;

/// <summary>
/// The behaviour every <see cref="ICollectionHistory"/> must show: runs read back whole and newest first (a failed run
/// with its error, a dry run marked so), two runs started in the same instant are both kept, and only the newest
/// <see cref="ICollectionHistory.Kept"/> runs stay.
/// </summary>
public abstract class CollectionHistoryConformance : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 3, 30, 0, TimeSpan.Zero);
    private ICollectionHistory? history;

    private ICollectionHistory History => history ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<ICollectionHistory> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual Task DestroyStoreAsync(ICollectionHistory store) => Task.CompletedTask;

    public async Task InitializeAsync() => history = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (history is not null)
        {
            await DestroyStoreAsync(history);
        }
    }

    [Fact]
    public async Task Runs_read_back_whole_newest_first()
    {
        Assert.Empty(await History.ListAsync(5, Ct));
        var completed = new CollectionRun(Start, TimeSpan.FromSeconds(149.25), false, 100_000, 3, 42, 17, 5_368_709_120, null);
        var failed = new CollectionRun(Start.AddDays(1), TimeSpan.FromMilliseconds(812), false, 7, 0, 1, 0, 0, "the blob store is unavailable: \"é\" <timeout>");
        var dry = new CollectionRun(Start.AddDays(1).AddTicks(1), TimeSpan.Zero, true, 0, 0, 0, 2, 1024, null);

        await History.RecordAsync(failed, Ct);
        await History.RecordAsync(completed, Ct);
        await History.RecordAsync(dry, Ct);

        Assert.Equal([dry, failed, completed], await History.ListAsync(5, Ct));
        Assert.Equal([dry], await History.ListAsync(1, Ct));
    }

    [Fact]
    public async Task Two_runs_started_at_once_are_both_kept()
    {
        var one = new CollectionRun(Start, TimeSpan.FromSeconds(1), false, 1, 0, 0, 0, 0, null);
        var other = one with { DryRun = true };

        await Task.WhenAll(History.RecordAsync(one, Ct), History.RecordAsync(other, Ct));

        var runs = await History.ListAsync(5, Ct);
        Assert.Equal(2, runs.Count);
        Assert.Contains(one, runs);
        Assert.Contains(other, runs);
    }

    [Fact]
    public async Task Only_the_newest_runs_are_kept()
    {
        var total = ICollectionHistory.Kept + 3;
        for (var i = 0; i < total; i++)
        {
            await History.RecordAsync(new CollectionRun(Start.AddHours(i), TimeSpan.FromSeconds(i), false, i, 0, 0, 0, 0, null), Ct);
        }

        var runs = await History.ListAsync(100, Ct);

        Assert.Equal(ICollectionHistory.Kept, runs.Count);
        Assert.Equal(Enumerable.Range(3, ICollectionHistory.Kept).Reverse(), runs.Select(r => r.Repositories));
    }
}
