using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dockyard.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace Dockyard.P2P.Tests;

/// <summary><c>[p2p]</c> in runtime.conf: each key reaches what the registry answers, and a wrong value fails start-up naming its key.</summary>
public sealed class P2PSettingsTests
{
    [Fact]
    public async Task Piece_size_peers_token_lifetime_and_trusted_addresses_come_from_the_section()
    {
        await using var registry = await P2PRegistry.StartAsync(settings: new Dictionary<string, string?>
        {
            ["p2p:piecesize"] = "64", ["p2p:peers"] = "2", ["p2p:tokenlifetime"] = "90", ["p2p:trustannouncedaddresses"] = "true",
        });
        var digest = await registry.PushBlobAsync("alice/app", TestBlobs.Random(200_000, seed: 21));
        using var alice = registry.ClientAs("alice", P2PRegistry.AlicePassword);
        var blob = $"/p2p/v1/alice/app/blobs/{digest}";

        using (var pieces = JsonDocument.Parse(await alice.GetStringAsync(blob + "/pieces")))
        {
            Assert.Equal(65536, pieces.RootElement.GetProperty("pieceSize").GetInt32());
            Assert.Equal(4, pieces.RootElement.GetProperty("pieces").GetArrayLength());
        }
        using (var issued = await alice.PostAsync(blob + "/token", null))
        using (var token = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()))
        {
            Assert.Equal(90, token.RootElement.GetProperty("expires_in").GetInt32());
        }
        // Addresses that are not the caller's own are taken as announced, and an answer names at most two.
        for (var i = 0; i < 5; i++)
        {
            using var announced = await alice.PostAsJsonAsync(blob + "/peers", new { agent = $"a{i}", address = $"10.0.0.{i}:5051", ttl = 60 });
            Assert.Equal(HttpStatusCode.NoContent, announced.StatusCode);
        }
        using var peers = JsonDocument.Parse(await alice.GetStringAsync(blob + "/peers"));
        Assert.Equal(2, peers.RootElement.GetProperty("peers").GetArrayLength());
    }

    [Fact]
    public async Task Disabled_the_registry_serves_no_p2p_route_and_blobs_as_before()
    {
        await using var registry = await P2PRegistry.StartAsync(settings: new Dictionary<string, string?> { ["p2p:enabled"] = "false" });
        var digest = await registry.PushBlobAsync("alice/app", TestBlobs.Random(1000, seed: 22));
        using var alice = registry.ClientAs("alice", P2PRegistry.AlicePassword);
        using var pieces = await alice.GetAsync($"/p2p/v1/alice/app/blobs/{digest}/pieces");
        Assert.Equal(HttpStatusCode.NotFound, pieces.StatusCode);
        using var keys = await alice.GetAsync("/p2p/v1/keys");
        Assert.Equal(HttpStatusCode.NotFound, keys.StatusCode);
        using var pull = await alice.GetAsync($"/v2/alice/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
    }

    [Theory]
    [InlineData("piecesize", "32", "[p2p] piecesize = 32")]
    [InlineData("piecesize", "100000", "[p2p] piecesize = 100000")]
    [InlineData("peers", "0", "[p2p] peers = 0")]
    [InlineData("announcettl", "5", "[p2p] announcettl = 5")]
    [InlineData("tokenlifetime", "10", "[p2p] tokenlifetime = 10")]
    public void A_wrong_value_names_its_key(string key, string value, string expected)
    {
        var settings = RuntimeSettings.Bind(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["p2p:" + key] = value }).Build());
        var error = Assert.Throws<StartupException>(() => RuntimeSettingsValidator.Validate(settings));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_value_that_is_no_number_names_its_key()
    {
        var error = Assert.Throws<StartupException>(() => RuntimeSettings.Bind(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["p2p:peers"] = "many" }).Build()));
        Assert.Contains("p2p:peers", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_defaults_are_the_trackers()
    {
        var settings = RuntimeSettings.Bind(new ConfigurationBuilder().Build());
        RuntimeSettingsValidator.Validate(settings);
        var options = settings.P2P.ToOptions();
        Assert.Equal(new Core.P2P.PeerTrackerOptions(), options);
    }
}
