using Dockyard.Core.P2P;

namespace Dockyard.P2P.Tests;

/// <summary>
/// A restarted agent keeps its cache: it announces what it holds again and serves it to peers, except a piece whose
/// bytes were corrupted on disk meanwhile, which it discards instead of serving (the peer takes it from the registry).
/// </summary>
public sealed class CacheRestartTests
{
    private static readonly byte[] Layer = TestBlobs.Random(3 * BlobPieces.DefaultPieceSize + 1000, seed: 31);

    [Fact]
    public async Task A_restarted_agent_serves_its_cached_pieces_but_not_a_corrupted_one()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        var cache = registry.CacheFolder();
        var first = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword, cacheDirectory: cache);
        Assert.Equal(Layer, await TestBlobs.PullAsync(first, "alice/app", digest));
        await registry.StopAgentAsync(first);

        // One bit flipped in piece 1 while the agent is down.
        var piece = Assert.Single(Directory.GetFiles(Path.Combine(cache, $"sha256-{digest.Hex}"), "1-*"));
        var bytes = await File.ReadAllBytesAsync(piece);
        bytes[100] ^= 1;
        await File.WriteAllBytesAsync(piece, bytes);

        var restarted = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword, cacheDirectory: cache);
        Assert.True(restarted.Cache.Holds(digest));
        // Announced again by the restarted agent (a new id and port): nothing was pulled through it since.
        await registry.WaitForPeerAsync("alice/app", digest, restarted.PeerAddress);

        var second = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
        Assert.Equal(Layer, await TestBlobs.PullAsync(second, "alice/app", digest));

        var pieceLength = BlobPieces.DefaultPieceSize;
        Assert.Equal(Layer.Length - pieceLength, second.Stats.BytesFromPeers);
        Assert.Equal(pieceLength, second.Stats.BytesFromRegistry);
        Assert.Equal(0, second.Stats.BadPieces);
        Assert.Equal(Layer.Length - pieceLength, restarted.Stats.BytesServedToPeers);
        Assert.False(File.Exists(piece));
    }
}
