using Dockyard.Core.Names;
using Dockyard.Core.P2P;
using Dockyard.Launcher.Agent;
using Microsoft.AspNetCore.Http;

namespace Dockyard.P2P.Tests;

/// <summary>
/// Peers whose bitfield lies: one claiming to fetch every piece and sending none ("fetching" forever), one claiming
/// every piece held and then answering "not held" or "fetching", and many claiming pieces they send slower than the peer timeout.
/// None may keep a pull waiting past the agent's patience; the second is left alone after its first denial, the slow
/// ones after their first timeout. Either way the blob's exact bytes come from the registry.
/// </summary>
public sealed class LyingPeerTests
{
    private static readonly byte[] Layer = TestBlobs.Random(2 * BlobPieces.DefaultPieceSize + 99, seed: 51);
    private static readonly string EveryPiece = PieceBitfield.Encode(Enumerable.Range(0, 3));

    [Fact]
    public async Task A_peer_claiming_to_fetch_every_piece_forever_keeps_the_pull_waiting_only_the_patience()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        await using var liar = await FakePeer.StartAsync((context, _, _) => Answer404Async(context, fetching: true),
            $"{{\"held\":\"\",\"fetching\":\"{EveryPiece}\"}}");
        await registry.AnnounceAsync(digest, "liar", liar.Address);
        var agent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);

        // Before the fix this pull never ended: a stalled agent still left every piece the liar "was fetching" to it.
        Assert.Equal(Layer, await PullWithinAsync(agent, digest, TimeSpan.FromSeconds(60)));

        Assert.Equal(Layer.Length, agent.Stats.BytesFromRegistry);
        Assert.Equal(0, agent.Stats.BytesFromPeers);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_peer_claiming_pieces_it_then_does_not_send_is_left_alone_after_its_first_denial(bool saysFetching)
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        await using var liar = await FakePeer.StartAsync((context, _, _) => Answer404Async(context, saysFetching),
            $"{{\"held\":\"{EveryPiece}\",\"fetching\":\"\"}}");
        await registry.AnnounceAsync(digest, "liar", liar.Address);
        var agent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);

        Assert.Equal(Layer, await PullWithinAsync(agent, digest, TimeSpan.FromSeconds(60)));

        Assert.Equal(Layer.Length, agent.Stats.BytesFromRegistry);
        Assert.True(agent.Stats.PeerFailures >= 1, "the denial was not counted against the peer");
        // Asked at most once per worker before the first denial banned it (its bitfield, refreshed every second, claims
        // them again); before the fix it was asked again and again until the swarm counted as stalled.
        Assert.True(liar.Requests <= 4, $"the lying peer was asked {liar.Requests} times");
    }

    [Fact]
    public async Task Peers_that_answer_slower_than_the_timeout_are_each_asked_once_and_the_registry_serves_the_rest()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        var slow = new List<FakePeer>();
        try
        {
            for (var i = 0; i < 2 * PieceFetcher.PeersPerRound; i++)
            {
                // Claims the first eight pieces (the fake's default bitfield), then sends nothing for far longer than the timeout.
                var peer = await FakePeer.StartAsync(async (context, _, _) => await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted));
                slow.Add(peer);
                await registry.AnnounceAsync(digest, "slow" + i, peer.Address);
            }
            var agent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword, parallelism: 1,
                configure: o => o with { PeerTimeout = TimeSpan.FromSeconds(1) });

            Assert.Equal(Layer, await PullWithinAsync(agent, digest, TimeSpan.FromSeconds(60)));

            // Each timed out once and was banned (one pick asks at most PeersPerRound of them): a piece costs a few
            // timeouts, the pull at most one per slow peer, and the registry serves what they claimed.
            Assert.Equal(Layer.Length, agent.Stats.BytesFromRegistry);
            Assert.All(slow, p => Assert.True(p.Requests <= 1, $"a slow peer was asked {p.Requests} times"));
            Assert.True(slow.Sum(p => p.Requests) >= PieceFetcher.PeersPerRound, "the slow peers were not asked");
        }
        finally
        {
            foreach (var peer in slow)
            {
                await peer.DisposeAsync();
            }
        }
    }

    private static async Task Answer404Async(HttpContext context, bool fetching)
    {
        if (fetching)
        {
            context.Response.Headers[PiecesInFlight.Header] = PiecesInFlight.Fetching;
        }
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        await context.Response.WriteAsync("{}");
    }

    private static async Task<byte[]> PullWithinAsync(AgentHost agent, Digest digest, TimeSpan limit) =>
        await TestBlobs.PullAsync(agent, "alice/app", digest).WaitAsync(limit);
}
