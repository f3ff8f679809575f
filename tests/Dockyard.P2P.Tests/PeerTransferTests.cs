using Dockyard.Core.P2P;

namespace Dockyard.P2P.Tests;

/// <summary>Two agents on one registry: the second pulls the blob from the first, so the origin serves (almost) nothing.</summary>
public sealed class PeerTransferTests
{
    // Three pieces, the last a short one.
    private static readonly byte[] Layer = TestBlobs.Random(2 * BlobPieces.DefaultPieceSize + 12_345, seed: 1);

    [Fact]
    public async Task The_second_agent_pulls_from_the_first_and_the_registry_serves_less_than_the_blob()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        var first = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
        Assert.Equal(Layer, await TestBlobs.PullAsync(first, "alice/app", digest));
        Assert.Equal(Layer.Length, first.Stats.BytesFromRegistry);
        await registry.WaitForPeerAsync("alice/app", digest, first.PeerAddress);

        registry.Blobs.Reset();
        var second = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
        Assert.Equal(Layer, await TestBlobs.PullAsync(second, "alice/app", digest));

        Assert.True(registry.Blobs.BytesRead < Layer.Length, $"the registry served {registry.Blobs.BytesRead} of {Layer.Length} bytes");
        Assert.Equal(Layer.Length, second.Stats.BytesFromPeers);
        Assert.Equal(Layer.Length, first.Stats.BytesServedToPeers);
    }

    [Fact]
    public async Task A_pull_through_a_cached_agent_reads_nothing_from_anyone()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        var agent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
        Assert.Equal(Layer, await TestBlobs.PullAsync(agent, "alice/app", digest));
        registry.Blobs.Reset();

        Assert.Equal(Layer, await TestBlobs.PullAsync(agent, "alice/app", digest));

        Assert.Equal(0, registry.Blobs.BytesRead);
        Assert.Equal(Layer.Length, agent.Stats.BytesFromRegistry);
        Assert.Equal(0, agent.Stats.BytesFromPeers);
    }
}
