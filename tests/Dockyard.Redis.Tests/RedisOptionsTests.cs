using System.Net;
using Dockyard.Hosting.Configuration;
using Dockyard.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Redis.Tests;

/// <summary><c>[db] redis</c> and <c>[db] db</c> are checked at start-up, naming the key; a Redis that is merely down
/// does not stop a node.</summary>
public sealed class RedisOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:6379,nosuchoption=1", "[db] redis")]
    [InlineData(",", "[db] redis")]
    public void A_malformed_redis_setting_fails_validation_naming_the_key(string redis, string key)
    {
        var e = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(Settings(("db:redis", redis))));
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void A_negative_database_index_fails_validation_naming_db()
    {
        var e = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(Settings(("db:redis", "127.0.0.1:6379"), ("db:db", "-1"))));
        Assert.Contains("[db] db = -1", e.Message);
    }

    [Fact]
    public void An_unknown_pullcache_value_fails_validation_naming_the_key()
    {
        var e = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(Settings(("db:redis", "127.0.0.1:6379"), ("db:pullcache", "yes"))));
        Assert.Contains("[db] pullcache = 'yes'", e.Message);
        RuntimeSettingsValidator.Validate(Settings(("db:redis", "127.0.0.1:6379"), ("db:pullcache", "Off")));
    }

    /// <summary>On SQLite (a store in the node's own process) the cache is off unless asked for; mysql turns it on by default (the cluster tests run it).</summary>
    [Theory]
    [InlineData("auto", false)]
    [InlineData("on", true)]
    [InlineData("off", false)]
    public async Task The_pull_cache_wraps_the_store_where_pullcache_says(string pullCache, bool expected)
    {
        await using var node = await RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["db:redis"] = ClosedPort.Address(),
            ["db:pullcache"] = pullCache,
        });
        Assert.Equal(expected, node.Services.GetRequiredService<Core.Metadata.IMetadataStore>() is Core.Metadata.PullCache.PullCachedMetadataStore);
    }

    [Fact]
    public void Without_redis_the_database_index_is_not_checked()
    {
        RuntimeSettingsValidator.Validate(Settings(("db:db", "-1")));
        Assert.False(new RedisOptions { Database = -1 }.Enabled);
    }

    [Fact]
    public async Task A_database_index_redis_refuses_fails_start_up_naming_db()
    {
        if (TestRedis.Address is not { } redis)
        {
            return;
        }
        var e = await Assert.ThrowsAsync<StartupException>(() => RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["db:redis"] = redis,
            ["db:db"] = "100000",
        }));
        Assert.Contains("[db] db = 100000", e.Message);
    }

    [Fact]
    public async Task A_node_starts_and_signs_users_in_while_its_redis_is_down()
    {
        var shared = Directory.CreateTempSubdirectory("dockyard-redis-down-").FullName;
        try
        {
            await using var node = await RegistryServer.StartAsync(new Dictionary<string, string?>
            {
                ["dockyard:standalone"] = "false",
                ["auth_server:privateKey"] = Path.Combine(shared, "token.key"),
                ["token:rootcertbundle"] = Path.Combine(shared, "token.crt"),
                ["db:redis"] = ClosedPort.Address(),
            });
            await node.Services.GetRequiredService<Core.Accounts.UserService>().AddAsync("grace", "grace-password", "grace@example.com", false, default);

            Assert.Equal(HttpStatusCode.OK, await TwoNodes.LoginAsync(node, "grace", "grace-password"));
            Assert.Equal(HttpStatusCode.Unauthorized, await TwoNodes.LoginAsync(node, "grace", "wrong"));
            Assert.True(node.Services.GetRequiredService<RedisOutage>().IsDown);
        }
        finally
        {
            Directory.Delete(shared, recursive: true);
        }
    }

    private static RuntimeSettings Settings(params (string Key, string Value)[] values) =>
        RuntimeSettings.Bind(new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build());
}
