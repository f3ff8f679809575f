using System.Net;
using Dockyard.Testing;

namespace Dockyard.Redis.Tests;

/// <summary>
/// Redis down with the pull cache on: pulls read the shared store (what another writer changed meanwhile is served at
/// once), a tag or manifest delete answers 503 with nothing changed, and once Redis is back deletes work and are seen.
/// Runs alone: it stops the shared test Redis.
/// </summary>
[Collection(nameof(RedisOutageCollection))]
public sealed class PullCacheOutageTests
{
    private const int Database = 8;

    [Fact]
    public async Task Pulls_stay_exact_and_stamped_writes_wait_while_redis_is_down()
    {
        await using var nodes = await PullCacheNodes.StartAsync(Database);
        if (nodes is null)
        {
            return;
        }
        var first = await TestImage.PushAsync(nodes.A.Client, "outage/repo", "latest");
        var second = await TestImage.PushAsync(nodes.A.Client, "outage/repo", "other");
        await PullCacheTests.PullTwiceAsync(nodes.B, "outage/repo", "latest", first.Digest);

        await TestRedis.ServerAsync(nodes.Redis, "stop");
        try
        {
            await PullCacheTests.MoveBehindTheCacheAsync(nodes, "outage/repo", "latest", second.Digest);
            Assert.Equal((HttpStatusCode.OK, second.Digest), await PullCacheNodes.PullAsync(nodes.B, "outage/repo", "latest"));

            using var refused = await nodes.A.Client.DeleteAsync($"/v2/outage/repo/manifests/{second.Digest}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal((HttpStatusCode.OK, second.Digest), await PullCacheNodes.PullAsync(nodes.B, "outage/repo", second.Digest));
        }
        finally
        {
            await TestRedis.ServerAsync(nodes.Redis, "start");
        }

        // Back (the nodes reconnect on their own): the delete goes through and B stops serving the manifest at once.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HttpStatusCode status;
        while ((status = await DeleteAsync(nodes.A, $"/v2/outage/repo/manifests/{second.Digest}")) == HttpStatusCode.ServiceUnavailable)
        {
            Assert.True(DateTime.UtcNow < deadline, "node A did not reach Redis again within 60 s");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(HttpStatusCode.NotFound, (await PullCacheNodes.PullAsync(nodes.B, "outage/repo", "latest")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PullCacheNodes.PullAsync(nodes.B, "outage/repo", second.Digest)).Status);
    }

    private static async Task<HttpStatusCode> DeleteAsync(RegistryServer node, string path)
    {
        using var response = await node.Client.DeleteAsync(path);
        return response.StatusCode;
    }
}
