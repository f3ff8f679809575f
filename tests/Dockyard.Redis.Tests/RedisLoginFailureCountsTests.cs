using Dockyard.Core.Access;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Dockyard.Redis.Tests;

/// <summary>The counts in Redis: atomic under concurrency, a fixed window from the first failure, forgotten on request.</summary>
public sealed class RedisLoginFailureCountsTests : IAsyncLifetime
{
    private const int Database = 4;
    private ConnectionMultiplexer? client;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("DOCKYARD_TEST_REDIS") is { Length: > 0 } redis)
        {
            await TestRedis.FlushAsync(redis, Database);
            client = await TestRedis.ConnectAsync(redis, Database);
        }
    }

    public async Task DisposeAsync()
    {
        if (client is not null)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_failures_from_many_callers_are_all_counted()
    {
        if (TestRedis.Address is null)
        {
            return;
        }
        var counts = Counts();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => counts.AddAsync(["pair", "address"], TimeSpan.FromMinutes(5), default)));

        Assert.Equal(new[] { 200, 200, 0 }, await counts.CountAsync(["pair", "address", "never"], default));
        // A second node sees the same counts.
        Assert.Equal(new[] { 200 }, await Counts().CountAsync(["pair"], default));
    }

    [Fact]
    public async Task The_window_starts_at_the_first_failure_and_later_failures_do_not_extend_it()
    {
        if (TestRedis.Address is null)
        {
            return;
        }
        var counts = Counts();
        await counts.AddAsync(["windowed"], TimeSpan.FromSeconds(60), default);
        var first = await client!.GetDatabase().KeyTimeToLiveAsync("dockyard:login:windowed");
        Assert.InRange(first!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        await counts.AddAsync(["windowed"], TimeSpan.FromMinutes(10), default);
        var later = await client.GetDatabase().KeyTimeToLiveAsync("dockyard:login:windowed");
        Assert.InRange(later!.Value, TimeSpan.Zero, first.Value);
        Assert.Equal(new[] { 2 }, await counts.CountAsync(["windowed"], default));
    }

    [Fact]
    public async Task A_count_left_without_an_expiry_gets_one_at_the_next_failure()
    {
        if (TestRedis.Address is null)
        {
            return;
        }
        await client!.GetDatabase().StringSetAsync("dockyard:login:stuck", 3);
        await Counts().AddAsync(["stuck"], TimeSpan.FromSeconds(60), default);
        Assert.NotNull(await client.GetDatabase().KeyTimeToLiveAsync("dockyard:login:stuck"));
        Assert.Equal(4, (int)await client.GetDatabase().StringGetAsync("dockyard:login:stuck"));
    }

    [Fact]
    public async Task Forget_removes_the_count_everywhere()
    {
        if (TestRedis.Address is null)
        {
            return;
        }
        var counts = Counts();
        await counts.AddAsync(["forgotten"], TimeSpan.FromMinutes(5), default);
        await Counts().ForgetAsync("forgotten", default);
        Assert.Equal(new[] { 0 }, await counts.CountAsync(["forgotten"], default));
        Assert.False(await client!.GetDatabase().KeyExistsAsync("dockyard:login:forgotten"));
    }

    private RedisLoginFailureCounts Counts() =>
        new(client!, new InProcessLoginFailureCounts(TimeProvider.System), new RedisOutage(NullLogger<RedisOutage>.Instance));
}
