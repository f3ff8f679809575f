using System.Text;
using Dockyard.Core.Names;
using Dockyard.Launcher;
using Dockyard.Launcher.Agent;
using Dockyard.Launcher.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.P2P.Tests;

/// <summary>
/// What the agent takes from a tracker answer, played by a server the test runs in the registry's place: at most
/// <see cref="TrackerClient.MaxPeers"/> peers however many it names (every one is asked for its bitfield at once), only
/// addresses of the announced form (an address becomes part of a URL the blob token is sent to), and nothing from an
/// answer larger than its bound.
/// </summary>
public sealed class TrackerAnswerTests : IAsyncLifetime
{
    private static readonly Digest Blob = Digest.Compute("tracker answer"u8.ToArray());
    private WebApplication? tracker;
    private RegistryClient? registry;

    [Fact]
    public async Task An_answer_naming_thousands_of_peers_gives_the_bound_and_only_well_formed_addresses()
    {
        var peers = await new TrackerClient(registry!).GetPeersAsync(RepositoryName.Parse("many/app"), Blob, "me", CancellationToken.None);

        Assert.Equal(TrackerClient.MaxPeers, peers.Count);
        Assert.All(peers, p => Assert.Matches(@"^10\.1\.\d+\.\d+:5051$", p));
    }

    [Fact]
    public async Task An_answer_past_its_bound_is_refused_as_a_registry_fault() =>
        Assert.Equal(LaunchFailure.Registry, (await Assert.ThrowsAsync<LaunchException>(() =>
            new TrackerClient(registry!).GetPeersAsync(RepositoryName.Parse("huge/app"), Blob, "me", CancellationToken.None))).Failure);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        tracker = builder.Build();
        tracker.MapGet("/p2p/v1/many/app/blobs/{digest}/peers", () => Results.Text(ManyPeers(), "application/json"));
        // 8 MiB of well-formed JSON, sent without a length: only reading it tells how long it is.
        tracker.MapGet("/p2p/v1/huge/app/blobs/{digest}/peers", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"peers\":[");
            var one = Encoding.UTF8.GetBytes("{\"agent\":\"a\",\"address\":\"10.0.0.1:5051\"},");
            for (var i = 0; i < (8 << 20) / one.Length; i++)
            {
                await context.Response.Body.WriteAsync(one);
            }
            await context.Response.WriteAsync("{\"agent\":\"a\",\"address\":\"10.0.0.1:5051\"}]}");
        });
        await tracker.StartAsync();
        var address = tracker.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        registry = new RegistryClient(new Uri(address + "/"), null);
    }

    // 5,000 peers, every third address malformed (a path, a query, a user part: what would aim a token elsewhere).
    private static string ManyPeers()
    {
        var text = new StringBuilder("{\"peers\":[");
        string[] malformed = ["10.9.0.1:5051/p2p/x?", "user@10.9.0.1:5051", "10.9.0.1", "10.9.0.1:5051#"];
        for (var i = 0; i < 5000; i++)
        {
            var address = i % 3 == 0 ? malformed[i % malformed.Length] : $"10.1.{i / 250}.{i % 250}:5051";
            text.Append(i == 0 ? "" : ",").Append("{\"agent\":\"a").Append(i).Append("\",\"address\":\"").Append(address).Append("\"}");
        }
        return text.Append("]}").ToString();
    }

    public async Task DisposeAsync()
    {
        registry?.Dispose();
        if (tracker is not null)
        {
            await tracker.StopAsync();
            await tracker.DisposeAsync();
        }
    }
}
