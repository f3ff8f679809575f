using Dockyard.Testing;
using StackExchange.Redis;

namespace Dockyard.Redis.Tests;

/// <summary>
/// The private redis-server that infra/scripts/redis.sh starts (test.sh exports its host:port as DOCKYARD_TEST_REDIS).
/// Each test class keeps its keys in a database index of its own and empties it first, so classes running in
/// parallel never see each other's failure counts.
/// </summary>
internal static class TestRedis
{
    /// <summary>host:port; null (test skipped, or failed on CI) when no test Redis is running.</summary>
    public static string? Address
    {
        get
        {
            var address = Environment.GetEnvironmentVariable("DOCKYARD_TEST_REDIS");
            if (string.IsNullOrWhiteSpace(address))
            {
                RequiredTool.Missing("redis-server", "is not running (DOCKYARD_TEST_REDIS is unset; infra/scripts/redis.sh start, or ./test.sh, starts it)");
                return null;
            }
            return address;
        }
    }

    /// <summary>Empties database <paramref name="database"/> of the test Redis.</summary>
    public static async Task FlushAsync(string address, int database)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{address},allowAdmin=true");
        await redis.GetServer(redis.GetEndPoints()[0]).FlushDatabaseAsync(database);
    }

    /// <summary>A client of database <paramref name="database"/>, for looking at what the registry stored.</summary>
    public static Task<ConnectionMultiplexer> ConnectAsync(string address, int database) =>
        ConnectionMultiplexer.ConnectAsync(new RedisOptions { Configuration = address, Database = database }.ToConfiguration());

    /// <summary>Runs <c>redis.sh stop|start</c> on the shared test server (its port taken from <paramref name="address"/>).</summary>
    public static async Task ServerAsync(string address, string command)
    {
        var script = Path.Combine(RepositoryRoot.Path, "infra", "scripts", "redis.sh");
        var state = Environment.GetEnvironmentVariable("DOCKYARD_STATE") is { Length: > 0 } s ? s : Path.Combine(RepositoryRoot.Path, ".state");
        var (code, output, error) = await RequiredTool.RunAsync(script, [command],
            new Dictionary<string, string> { ["DOCKYARD_STATE"] = state, ["REDIS_PORT"] = address[(address.LastIndexOf(':') + 1)..] }, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, $"redis.sh {command} failed: {output}{error}");
    }
}
