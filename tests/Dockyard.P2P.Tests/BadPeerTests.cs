using Dockyard.Core.Names;
using Dockyard.Core.P2P;

namespace Dockyard.P2P.Tests;

/// <summary>
/// Peers that misbehave: one serving corrupt pieces (each discarded, the peer banned, the piece fetched elsewhere) and
/// one dying mid-piece (the transfer goes on from the registry). Either way the agent delivers the blob's exact bytes,
/// and what its cache keeps, on disk and in memory, is only ever the registry's bytes.
/// </summary>
public sealed class BadPeerTests
{
    private static readonly byte[] Layer = TestBlobs.Random(2 * BlobPieces.DefaultPieceSize + 777, seed: 2);

    [Fact]
    public async Task Corrupt_pieces_are_discarded_the_peer_banned_and_the_pieces_fetched_elsewhere()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        await using var liar = await StartCorruptPeerAsync(registry, digest);
        var agent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);

        Assert.Equal(Layer, await TestBlobs.PullAsync(agent, "alice/app", digest));

        Assert.True(liar.Requests >= 1, "the corrupt peer was never asked");
        Assert.Equal(liar.Requests, agent.Stats.BadPieces);
        Assert.Equal(0, agent.Stats.BytesFromPeers);
        Assert.Equal(Layer.Length, agent.Stats.BytesFromRegistry);
        // Banned after its first corrupt piece: no more than the pieces already asked for at once.
        Assert.True(liar.Requests <= 4, $"the banned peer was asked {liar.Requests} times");
    }

    [Fact]
    public async Task A_corrupt_piece_reaches_neither_the_cache_on_disk_nor_its_pieces_in_memory()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        await using var liar = await StartCorruptPeerAsync(registry, digest);
        var folder = registry.CacheFolder();
        var agent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword, cacheDirectory: folder);

        Assert.Equal(Layer, await TestBlobs.PullAsync(agent, "alice/app", digest));

        Assert.True(agent.Stats.BadPieces >= 1, "the corrupt peer sent no piece");
        Assert.True(agent.Cache.MemoryBytes > 0, "no piece was kept in memory");
        var pieces = agent.Cache.PiecesOf(digest);
        Assert.Equal(3, pieces.Length);
        foreach (var index in pieces)
        {
            // What the engine and peers are served (memory first) and what lies on disk are the blob's own bytes.
            Assert.Equal(PieceOf(index), await agent.Cache.ReadAsync(digest, index, CancellationToken.None));
        }
        var files = Directory.GetFiles(Path.Combine(folder, $"sha256-{digest.Hex}"), "*-*");
        Assert.Equal(3, files.Length);
        foreach (var file in files)
        {
            Assert.Equal(PieceOf(int.Parse(Path.GetFileName(file).Split('-')[0], System.Globalization.CultureInfo.InvariantCulture)), await File.ReadAllBytesAsync(file));
        }
    }

    // A peer announced for the blob that sends every piece at the right length with the wrong bytes: only the registry's hash can tell.
    private static async Task<FakePeer> StartCorruptPeerAsync(P2PRegistry registry, Digest digest)
    {
        var liar = await FakePeer.StartAsync(async (context, _, index) =>
        {
            var length = PieceOf(index).Length;
            context.Response.ContentLength = length;
            await context.Response.Body.WriteAsync(TestBlobs.Random(length, seed: 99 + index));
        });
        await registry.AnnounceAsync(digest, "liar", liar.Address);
        return liar;
    }

    private static byte[] PieceOf(int index) =>
        Layer.AsSpan(index * BlobPieces.DefaultPieceSize, (int)Math.Min(BlobPieces.DefaultPieceSize, Layer.Length - (long)index * BlobPieces.DefaultPieceSize)).ToArray();

    [Fact]
    public async Task A_peer_killed_mid_piece_costs_only_time()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        FakePeer? dying = null;
        var served = -1;
        dying = await FakePeer.StartAsync(async (context, request, index) =>
        {
            var offset = index * BlobPieces.DefaultPieceSize;
            var length = (int)Math.Min(BlobPieces.DefaultPieceSize, Layer.Length - (long)offset);
            context.Response.ContentLength = length;
            if (request == 1)
            {
                served = length;
                await context.Response.Body.WriteAsync(Layer.AsMemory(offset, length));
                return;
            }
            // Half a piece, then the process "dies": the connection is cut and nothing listens any more.
            await context.Response.Body.WriteAsync(Layer.AsMemory(offset, length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
            _ = dying!.StopAsync();
        });
        await using var owned = dying;
        await registry.AnnounceAsync(digest, "dying", dying.Address);
        var agent = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword, parallelism: 1);

        Assert.Equal(Layer, await TestBlobs.PullAsync(agent, "alice/app", digest));

        // Pieces are fetched in a random order: the one piece served whole may be the short last one.
        Assert.True(served > 0, "the peer never served a whole piece");
        Assert.Equal(served, agent.Stats.BytesFromPeers);
        Assert.Equal(Layer.Length - served, agent.Stats.BytesFromRegistry);
        Assert.True(agent.Stats.PeerFailures >= 1);
        Assert.Equal(0, agent.Stats.BadPieces);
        Assert.Equal(2, dying.Requests);
    }
}
