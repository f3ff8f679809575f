using Dockyard.Core.P2P;

namespace Dockyard.P2P.Tests;

/// <summary>`launcher agent` as a real process: the command line works, and an in-process agent pulls from it as from any peer.</summary>
public sealed class AgentProcessTests
{
    private static readonly byte[] Layer = TestBlobs.Random(BlobPieces.DefaultPieceSize + 99, seed: 7);

    [Fact]
    public async Task A_launcher_agent_process_serves_the_engine_and_then_its_peers()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", Layer);
        var cache = Path.Combine(Path.GetTempPath(), "dockyard-agent-process-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var process = await AgentProcess.StartAsync(registry.BaseAddress, cache);
            using (var client = new HttpClient { BaseAddress = process.MirrorAddress })
            {
                Assert.Equal(Layer, await client.GetByteArrayAsync($"/v2/alice/app/blobs/{digest}"));
            }
            await registry.WaitForPeerAsync("alice/app", digest, process.PeerAddress);
            registry.Blobs.Reset();

            var inProcess = await registry.StartAgentAsync("alice", P2PRegistry.AlicePassword);
            Assert.Equal(Layer, await TestBlobs.PullAsync(inProcess, "alice/app", digest));

            Assert.Equal(Layer.Length, inProcess.Stats.BytesFromPeers);
            Assert.True(registry.Blobs.BytesRead < Layer.Length);
        }
        finally
        {
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }
        }
    }
}
