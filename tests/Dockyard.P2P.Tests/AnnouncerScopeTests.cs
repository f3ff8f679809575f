using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Core.P2P;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.P2P.Tests;

/// <summary>
/// An agent id belongs to its announcer: bob, who may pull alice's repository, tries to take over, expire or squat
/// the id of alice's agent, and to have the tracker hand out his address for it.
/// </summary>
public sealed class AnnouncerScopeTests
{
    [Fact]
    public async Task Another_account_can_neither_replace_nor_withdraw_an_agents_announcement()
    {
        // Addresses taken as announced, so bob's only obstacle is the agent id's scope (the address rule is tested apart).
        await using var registry = await P2PRegistry.StartAsync(s => s.AddSingleton(new PeerTrackerOptions { TrustAnnouncedAddresses = true }));
        var digest = await registry.PushBlobAsync("alice/app", TestBlobs.Random(100, seed: 23));
        using var alice = registry.ClientAs("alice", P2PRegistry.AlicePassword);
        using var bob = registry.ClientAs("bob", P2PRegistry.BobPassword);
        using (var shared = await alice.PutAsJsonAsync("/uam/repository/alice/app", new { ispublic = true }))
        {
            Assert.True(shared.IsSuccessStatusCode, $"{(int)shared.StatusCode} {await shared.Content.ReadAsStringAsync()}");
        }
        var path = $"/p2p/v1/alice/app/blobs/{digest}/peers";
        await AnnounceAsync(alice, path, "host-7", "10.0.0.7:5051", 600);

        // Bob re-announces alice's id at his address, then with a 1 s ttl to make it lapse.
        await AnnounceAsync(bob, path, "host-7", "10.0.0.66:5051", 600);
        await AnnounceAsync(bob, path, "host-7", "10.0.0.66:5051", 1);
        await Task.Delay(1500);

        var seen = await PeersAsync(alice, path);
        Assert.Contains("10.0.0.7:5051", seen.Select(p => p.Address));
        // Alice's agent asking as host-7 is left out of the answer; bob's announcement under that id is not hers.
        var answered = await PeersAsync(alice, path + "?agent=host-7");
        Assert.DoesNotContain("10.0.0.7:5051", answered.Select(p => p.Address));
        // The ids handed out are the tracker's scoped ones: alice's and bob's differ, neither is the raw id nor names an account.
        var ids = seen.Select(p => p.Agent).ToList();
        Assert.DoesNotContain("host-7", ids);
        Assert.All(ids, id => Assert.DoesNotContain("alice", id));
    }

    private static async Task AnnounceAsync(HttpClient client, string path, string agent, string address, int ttl)
    {
        using var announced = await client.PostAsJsonAsync(path, new { agent, address, ttl });
        Assert.Equal(HttpStatusCode.NoContent, announced.StatusCode);
    }

    private static async Task<List<(string Agent, string Address)>> PeersAsync(HttpClient client, string path)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync(path));
        return [.. body.RootElement.GetProperty("peers").EnumerateArray().Select(p => (p.GetProperty("agent").GetString()!, p.GetProperty("address").GetString()!))];
    }
}
