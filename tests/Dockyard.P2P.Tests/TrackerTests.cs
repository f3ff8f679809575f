using System.Net;
using System.Net.Http.Json;
using Dockyard.Core.P2P;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;

namespace Dockyard.P2P.Tests;

/// <summary>The tracker through the registry's API: a bounded random subset of the live holders, never the asker.</summary>
public sealed class TrackerTests
{
    [Fact]
    public async Task Peers_are_a_bounded_random_subset_of_the_holders_without_the_asker()
    {
        // Twenty holders at addresses of their own: this registry takes announced addresses as given.
        await using var registry = await P2PRegistry.StartAsync(s => s.AddSingleton(new PeerTrackerOptions { TrustAnnouncedAddresses = true, MaxPeers = 8 }));
        var digest = await registry.PushBlobAsync("alice/app", TestBlobs.Random(100, seed: 6));
        using var alice = registry.ClientAs("alice", P2PRegistry.AlicePassword);
        var path = $"/p2p/v1/alice/app/blobs/{digest}/peers";
        for (var i = 0; i < 20; i++)
        {
            using var announced = await alice.PostAsJsonAsync(path, new { agent = $"a{i}", address = $"10.0.0.{i}:5051", ttl = 60 });
            Assert.True(announced.IsSuccessStatusCode);
        }

        var seen = new HashSet<string>();
        for (var ask = 0; ask < 10; ask++)
        {
            var peers = await PeersAsync(alice, path + "?agent=a0");
            Assert.InRange(peers.Count, 1, 8);
            Assert.Equal(peers.Count, peers.Distinct().Count());
            Assert.DoesNotContain("10.0.0.0:5051", peers);
            seen.UnionWith(peers);
        }
        // Ten random draws of 8 among 19 holders name more than one fixed set of 8.
        Assert.True(seen.Count > 8, $"always the same {seen.Count} peers");

        using var brief = await alice.PostAsJsonAsync(path, new { agent = "brief", address = "10.0.1.1:5051", ttl = 1 });
        Assert.True(brief.IsSuccessStatusCode);
        await Task.Delay(1500);
        for (var ask = 0; ask < 5; ask++)
        {
            Assert.DoesNotContain("10.0.1.1:5051", await PeersAsync(alice, path));
        }
    }

    [Fact]
    public async Task An_agent_announces_only_its_own_address()
    {
        await using var registry = await P2PRegistry.StartAsync();
        var digest = await registry.PushBlobAsync("alice/app", TestBlobs.Random(100, seed: 7));
        using var alice = registry.ClientAs("alice", P2PRegistry.AlicePassword);
        var path = $"/p2p/v1/alice/app/blobs/{digest}/peers";

        // The test's requests come from 127.0.0.1: another host's address, or a name, would aim the swarm elsewhere.
        foreach (var elsewhere in new[] { "10.0.0.9:5051", "127.0.0.2:5051", "victim.example:443" })
        {
            using var refused = await alice.PostAsJsonAsync(path, new { agent = "mallory", address = elsewhere, ttl = 60 });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("DENIED", await refused.Content.ReadAsStringAsync());
        }
        using var own = await alice.PostAsJsonAsync(path, new { agent = "honest", address = "127.0.0.1:5051", ttl = 60 });
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        Assert.Equal(["127.0.0.1:5051"], await PeersAsync(alice, path));
    }

    private static async Task<List<string>> PeersAsync(HttpClient client, string path)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync(path));
        return [.. body.RootElement.GetProperty("peers").EnumerateArray().Select(p => p.GetProperty("address").GetString()!)];
    }
}
