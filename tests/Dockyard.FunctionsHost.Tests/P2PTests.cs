using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dockyard.Azure.Tables;
using Dockyard.Core.Names;
using Dockyard.Launcher.Agent;
using Dockyard.Launcher.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dockyard.FunctionsHost.Tests;

/// <summary>
/// The Functions app as the P2P registry, through the real host: agents (in this process) get piece hashes and blob
/// tokens, announce to the tracker and ask it for peers, all through the host; later agents take the blob from the
/// first while the registry serves them less than it, and the tracker's state is the app's Azure Tables, not a process.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class P2PTests(P2PHostFixture fixture) : IClassFixture<P2PHostFixture>
{
    private const string User = "fnp2p";
    private const string Password = "secret-fnp2p";
    private const string Repository = User + "/app";
    // 1 MiB pieces (the fixture's [p2p] piecesize): six of them, the last a short one.
    private static readonly byte[] Layer = Random((5 << 20) + 777);

    [Fact]
    public async Task Agents_announce_and_find_each_other_through_the_host_and_pull_the_blob_from_each_other()
    {
        var host = fixture.Host;
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        using (var signup = await anonymous.PostAsJsonAsync("/uam/user/signup", new { name = User, email = User + "@example.com", password = Password, realname = User }))
        {
            Assert.True(signup.StatusCode == HttpStatusCode.Created, $"signup: {(int)signup.StatusCode} {await signup.Content.ReadAsStringAsync()}");
        }
        using var user = new HttpClient { BaseAddress = host.BaseAddress };
        user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        var digest = await PushAsync(user);
        var scratch = Directory.CreateTempSubdirectory("dockyard-funchost-agents-").FullName;
        var agents = new List<AgentHost>();
        try
        {
            var seed = await StartAgentAsync(agents, scratch);
            Assert.Equal(Layer, await PullAsync(seed, digest));
            Assert.Equal(Layer.Length, seed.Stats.BytesFromRegistry);
            await WaitForPeerAsync(user, digest, seed.AdvertisedAddress);

            AgentHost[] pullers = [await StartAgentAsync(agents, scratch), await StartAgentAsync(agents, scratch)];
            var pulls = await Task.WhenAll(pullers.Select(a => PullAsync(a, digest)));

            Assert.All(pulls, pulled => Assert.Equal(Layer, pulled));
            Assert.True(pullers.Sum(a => a.Stats.BytesFromRegistry) < Layer.Length,
                $"the registry served {pullers.Sum(a => a.Stats.BytesFromRegistry)} bytes of a {Layer.Length}-byte blob to the two later agents");
            Assert.True(pullers.Sum(a => a.Stats.BytesFromPeers) > Layer.Length, "the later agents took less than a blob from their peers");
            Assert.True(seed.Stats.BytesServedToPeers > 0, "the first agent served nothing");
            // Three announcements through the host, one swarm in the app's Azure Tables.
            var stored = await new AzureTablePeerDistributionStore(fixture.Tables()).ListLiveAsync(digest, DateTimeOffset.UtcNow, 100, CancellationToken.None);
            Assert.Subset(stored.Select(p => p.Address).ToHashSet(), agents.Select(a => a.AdvertisedAddress).ToHashSet());
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
            Directory.Delete(scratch, recursive: true);
        }
    }

    private async Task<AgentHost> StartAgentAsync(List<AgentHost> agents, string scratch)
    {
        var agent = await AgentHost.StartAsync(new AgentOptions
        {
            Registry = fixture.Host.BaseAddress,
            Credentials = new RegistryCredentials(User, Password),
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            PeerListen = new IPEndPoint(IPAddress.Loopback, 0),
            CacheDirectory = Path.Combine(scratch, "agent-" + agents.Count),
            CacheBytes = 32L << 20,
            PeerTimeout = TimeSpan.FromSeconds(10),
        }, NullLoggerFactory.Instance, CancellationToken.None);
        agents.Add(agent);
        return agent;
    }

    /// <summary>One monolithic upload (POST, then PUT with the body) as the user, into the user's own namespace.</summary>
    private static async Task<Digest> PushAsync(HttpClient user)
    {
        var digest = Digest.Compute(Layer);
        using var start = await user.PostAsync($"/v2/{Repository}/blobs/uploads/", null);
        Assert.True(start.StatusCode == HttpStatusCode.Accepted, $"upload start: {(int)start.StatusCode} {await start.Content.ReadAsStringAsync()}");
        var location = start.Headers.Location!.ToString();
        using var body = new ByteArrayContent(Layer);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await user.PutAsync(location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest.Value), body);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"upload end: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        return digest;
    }

    private static async Task<byte[]> PullAsync(AgentHost agent, Digest digest)
    {
        using var client = new HttpClient { BaseAddress = agent.MirrorAddress, Timeout = TimeSpan.FromMinutes(2) };
        using var response = await client.GetAsync($"/v2/{Repository}/blobs/{digest}");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 500)))}");
        return body;
    }

    /// <summary>Waits (at most 20 s) until the tracker, asked through the host, names <paramref name="address"/> for the blob.</summary>
    private static async Task WaitForPeerAsync(HttpClient user, Digest digest, string address)
    {
        var peers = "";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            peers = await user.GetStringAsync($"/p2p/v1/{Repository}/blobs/{digest}/peers");
            if (peers.Contains($"\"{address}\"", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"the tracker never named {address} for {digest}: {peers}");
    }

    private static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new Random(71).NextBytes(bytes);
        return bytes;
    }
}
