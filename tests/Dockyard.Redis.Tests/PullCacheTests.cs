using System.Net;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Redis.Tests;

/// <summary>
/// Nodes with <c>[db] pullcache = on</c> serve pulls from memory, yet never what a write through any such node has
/// replaced: a tag moved or a manifest deleted on node A is what node B answers on its very next pull.
/// </summary>
public sealed class PullCacheTests
{
    private const int Database = 6;

    [Fact]
    public async Task A_tag_moved_on_node_A_is_what_node_B_serves_next()
    {
        await using var nodes = await PullCacheNodes.StartAsync(Database);
        if (nodes is null)
        {
            return;
        }
        var first = await TestImage.PushAsync(nodes.A.Client, "cache/moved", "latest");
        await PullTwiceAsync(nodes.B, "cache/moved", "latest", first.Digest);

        var second = await TestImage.PushAsync(nodes.A.Client, "cache/moved", "latest");

        Assert.Equal((HttpStatusCode.OK, second.Digest), await PullCacheNodes.PullAsync(nodes.B, "cache/moved", "latest"));
        // The first manifest is still stored: by digest it is still served.
        Assert.Equal((HttpStatusCode.OK, first.Digest), await PullCacheNodes.PullAsync(nodes.B, "cache/moved", first.Digest));
    }

    [Fact]
    public async Task A_manifest_deleted_on_node_A_answers_404_on_node_B_at_once()
    {
        await using var nodes = await PullCacheNodes.StartAsync(Database);
        if (nodes is null)
        {
            return;
        }
        var image = await TestImage.PushAsync(nodes.A.Client, "cache/deleted", "v1");
        await PullTwiceAsync(nodes.B, "cache/deleted", "v1", image.Digest);
        await PullTwiceAsync(nodes.B, "cache/deleted", image.Digest, image.Digest);

        using (var deleted = await nodes.A.Client.DeleteAsync($"/v2/cache/deleted/manifests/{image.Digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await PullCacheNodes.PullAsync(nodes.B, "cache/deleted", "v1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PullCacheNodes.PullAsync(nodes.B, "cache/deleted", image.Digest)).Status);
    }

    /// <summary>
    /// What makes the tests above mean something: B does answer from memory, so a write that bypasses the stamps (node C,
    /// whose cache is off) is not seen until a stamped write to the repository. Hence the rule that every node and
    /// every <c>dockyard</c> command writing to the shared store names the same Redis with the cache on.
    /// </summary>
    [Fact]
    public async Task Node_B_answers_from_memory_until_a_stamped_write_to_the_repository()
    {
        await using var nodes = await PullCacheNodes.StartAsync(Database);
        if (nodes is null)
        {
            return;
        }
        var first = await TestImage.PushAsync(nodes.A.Client, "cache/memory", "latest");
        var second = await TestImage.PushAsync(nodes.A.Client, "cache/memory", "other");
        await PullTwiceAsync(nodes.B, "cache/memory", "latest", first.Digest);

        await MoveBehindTheCacheAsync(nodes, "cache/memory", "latest", second.Digest);
        Assert.Equal((HttpStatusCode.OK, first.Digest), await PullCacheNodes.PullAsync(nodes.B, "cache/memory", "latest"));

        // Any tag of the repository moved through a node with the cache on gives the repository a new stamp.
        await TestImage.PushAsync(nodes.A.Client, "cache/memory", "third");
        Assert.Equal((HttpStatusCode.OK, second.Digest), await PullCacheNodes.PullAsync(nodes.B, "cache/memory", "latest"));
    }

    [Fact]
    public async Task A_write_that_never_ended_keeps_every_node_off_its_memory_of_the_repository()
    {
        await using var nodes = await PullCacheNodes.StartAsync(Database);
        if (nodes is null)
        {
            return;
        }
        var first = await TestImage.PushAsync(nodes.A.Client, "cache/crashed", "latest");
        var second = await TestImage.PushAsync(nodes.A.Client, "cache/crashed", "other");
        await PullTwiceAsync(nodes.B, "cache/crashed", "latest", first.Digest);

        // A writer that marked its write and died before ending it.
        await using (var client = await TestRedis.ConnectAsync(nodes.Redis, Database))
        {
            await client.GetDatabase().HashIncrementAsync("dockyard:stamp:cache/crashed", "w");
        }
        await MoveBehindTheCacheAsync(nodes, "cache/crashed", "latest", second.Digest);

        Assert.Equal((HttpStatusCode.OK, second.Digest), await PullCacheNodes.PullAsync(nodes.B, "cache/crashed", "latest"));
    }

    internal static async Task PullTwiceAsync(RegistryServer node, string repository, string reference, string digest)
    {
        // Twice, so that the second is answered from what the first kept.
        for (var pull = 0; pull < 2; pull++)
        {
            Assert.Equal((HttpStatusCode.OK, digest), await PullCacheNodes.PullAsync(node, repository, reference));
        }
    }

    /// <summary>Moves the tag through node C, whose store is not behind the cache: the stamps do not change.</summary>
    internal static async Task MoveBehindTheCacheAsync(PullCacheNodes nodes, string repository, string tag, string digest) =>
        Assert.True(await nodes.C.Services.GetRequiredService<IMetadataStore>().Tags.SetAsync(
            RepositoryName.Parse(repository), tag, Digest.Parse(digest), CancellationToken.None));
}
