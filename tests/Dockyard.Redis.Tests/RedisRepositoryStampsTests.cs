using Dockyard.Core.Errors;
using Dockyard.Core.Names;
using Dockyard.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Dockyard.Redis.Tests;

/// <summary>The stamps in Redis: a fresh one after every write, none while a write is under way or Redis is down, and a mark that outlives no crash for long.</summary>
public sealed class RedisRepositoryStampsTests : IAsyncLifetime
{
    private const int Database = 5;
    private static readonly RepositoryName Repository = RepositoryName.Parse("stamps/repo");
    private static readonly CancellationToken Ct = CancellationToken.None;
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
    public async Task Every_finished_write_gives_a_stamp_not_seen_before()
    {
        var stamps = Stamps();
        if (stamps is null)
        {
            return;
        }
        // The first read finds none and sets one for the next.
        Assert.Null(await stamps.CurrentAsync(Repository, Ct));
        var seen = new HashSet<string> { Assert.IsType<string>(await stamps.CurrentAsync(Repository, Ct)) };
        Assert.Equal(seen.Single(), await stamps.CurrentAsync(Repository, Ct));

        for (var write = 0; write < 3; write++)
        {
            await stamps.BeginWriteAsync(Repository, Ct);
            Assert.Null(await stamps.CurrentAsync(Repository, Ct));
            await stamps.EndWriteAsync(Repository);
            Assert.True(seen.Add(Assert.IsType<string>(await stamps.CurrentAsync(Repository, Ct))));
        }
        // The mark's expiry goes with the last write.
        Assert.Null(await client!.GetDatabase().KeyTimeToLiveAsync(Key));
    }

    [Fact]
    public async Task Overlapping_writes_keep_the_stamp_off_until_the_last_one_ends()
    {
        var stamps = Stamps();
        if (stamps is null)
        {
            return;
        }
        await stamps.BeginWriteAsync(Repository, Ct);
        await stamps.BeginWriteAsync(Repository, Ct);
        await stamps.EndWriteAsync(Repository);
        Assert.Null(await stamps.CurrentAsync(Repository, Ct));
        await stamps.EndWriteAsync(Repository);
        Assert.NotNull(await stamps.CurrentAsync(Repository, Ct));
    }

    [Fact]
    public async Task A_write_that_never_ends_leaves_a_mark_that_expires_and_then_a_fresh_stamp()
    {
        var stamps = Stamps();
        if (stamps is null)
        {
            return;
        }
        await stamps.CurrentAsync(Repository, Ct);
        var before = await stamps.CurrentAsync(Repository, Ct);
        await stamps.BeginWriteAsync(Repository, Ct);
        var ttl = await client!.GetDatabase().KeyTimeToLiveAsync(Key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(9), RedisRepositoryStamps.WriteMark);
        Assert.Null(await stamps.CurrentAsync(Repository, Ct));

        // The writer is gone; its mark expires (sooner here).
        await client.GetDatabase().KeyExpireAsync(Key, TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);

        Assert.Null(await stamps.CurrentAsync(Repository, Ct));
        var after = await stamps.CurrentAsync(Repository, Ct);
        Assert.NotNull(after);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Without_redis_there_is_no_stamp_and_no_write_begins()
    {
        await using var down = await ConnectionMultiplexer.ConnectAsync(new RedisOptions { Configuration = ClosedPort.Address() }.ToConfiguration());
        var stamps = new RedisRepositoryStamps(down, new RedisOutage(NullLogger<RedisOutage>.Instance));

        Assert.Null(await stamps.CurrentAsync(Repository, Ct));
        var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() => stamps.BeginWriteAsync(Repository, Ct));
        Assert.Equal("redis", refused.Backend);
        Assert.Contains("[db] redis", refused.Message);
        // Ending cannot fail the request whose write is done.
        await stamps.EndWriteAsync(Repository);
    }

    private static RedisKey Key => "dockyard:stamp:" + Repository.Value;

    /// <summary>Stamps on the test Redis; null (test skipped, or failed on CI) without one.</summary>
    private RedisRepositoryStamps? Stamps() =>
        client is null || TestRedis.Address is null ? null : new RedisRepositoryStamps(client, new RedisOutage(NullLogger<RedisOutage>.Instance));
}
