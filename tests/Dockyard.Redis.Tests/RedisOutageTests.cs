using System.Diagnostics.Metrics;
using System.Net;
using Dockyard.Core.Access;
using Dockyard.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Redis.Tests;

/// <summary>Runs alone: it stops the shared test Redis, which no other test may be using then.</summary>
[CollectionDefinition(nameof(RedisOutageCollection), DisableParallelization = true)]
public sealed class RedisOutageCollection;

/// <summary>
/// With Redis stopped, logins keep working on both nodes (never a 500), each node throttles on its own counts, the
/// outage is counted in <c>dockyard_storage_errors_total{backend="redis"}</c>, and the nodes count together again once
/// Redis is back.
/// </summary>
[Collection(nameof(RedisOutageCollection))]
public sealed class RedisOutageTests
{
    private const int Database = 3;

    [Fact]
    public async Task Logins_keep_working_and_each_node_throttles_alone_while_redis_is_down()
    {
        await using var nodes = await TwoNodes.StartAsync(Database);
        if (nodes is null)
        {
            return;
        }
        var carol = await nodes.AddUserAsync("carol", "carol-password");
        var erin = await nodes.AddUserAsync("erin", "erin-password");
        using var errors = new RedisErrorCount();

        await TestRedis.ServerAsync(nodes.Redis, "stop");
        try
        {
            Assert.Equal(HttpStatusCode.OK, await TwoNodes.LoginAsync(nodes.A, carol, "carol-password"));
            Assert.Equal(HttpStatusCode.OK, await TwoNodes.LoginAsync(nodes.B, carol, "carol-password"));

            for (var i = 0; i < LoginThrottle.MaxFailures; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, await TwoNodes.LoginAsync(nodes.A, erin, $"guess-{i}"));
            }
            Assert.Equal(HttpStatusCode.TooManyRequests, await TwoNodes.LoginAsync(nodes.A, erin, "erin-password"));
            // B saw none of A's failures: per node now, as without Redis.
            Assert.Equal(HttpStatusCode.OK, await TwoNodes.LoginAsync(nodes.B, erin, "erin-password"));

            Assert.True(errors.Value > 0, "no dockyard_storage_errors_total{backend=redis} was counted");
            Assert.True(nodes.A.Services.GetRequiredService<RedisOutage>().IsDown);
        }
        finally
        {
            await TestRedis.ServerAsync(nodes.Redis, "start");
        }

        // Back: the nodes reconnect on their own and count together again.
        var frank = await nodes.AddUserAsync("frank", "frank-password");
        var outage = nodes.A.Services.GetRequiredService<RedisOutage>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var failures = 0;
        while (true)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await TwoNodes.LoginAsync(nodes.A, frank, $"probe-{failures++}"));
            if (!outage.IsDown)
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "node A did not reach Redis again within 60 s");
            Assert.True(failures < LoginThrottle.MaxFailures - 1, "node A did not reach Redis again before its own throttle would stop the probe");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        using (var client = await TestRedis.ConnectAsync(nodes.Redis, Database))
        {
            // Only the failure made once A reached Redis again is shared; the earlier ones stayed on A.
            Assert.Equal(1, (int)await client.GetDatabase().StringGetAsync($"dockyard:login:127.0.0.1\0{frank}"));
        }
    }

    /// <summary>Sums <c>storage_errors_total</c> recorded with <c>backend=redis</c> while it lives.</summary>
    private sealed class RedisErrorCount : IDisposable
    {
        private readonly MeterListener listener = new();
        private long value;

        public RedisErrorCount()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RegistryMeter.Name && instrument.Name == "storage_errors_total")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "backend", Value: "redis" })
                    {
                        Interlocked.Add(ref value, measurement);
                    }
                }
            });
            listener.Start();
        }

        public long Value => Interlocked.Read(ref value);

        public void Dispose() => listener.Dispose();
    }
}
