using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dockyard.Core.Accounts;
using Dockyard.Core.Blobs;
using Dockyard.Core.Names;
using Dockyard.Launcher.Agent;
using Dockyard.Launcher.Registry;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dockyard.P2P.Tests;

/// <summary>
/// A real Dockyard enforcing token auth (users alice and bob), its blob store wrapped in a <see cref="CountingBlobStore"/>
/// so a test can tell how many blob bytes the origin served, and in-process agents pulling from it.
/// </summary>
internal sealed class P2PRegistry : IAsyncDisposable
{
    public const string AlicePassword = "alice-password";
    public const string BobPassword = "bob-password";

    private readonly RegistryServer server;
    private readonly string scratch;
    private readonly List<AgentHost> agents = [];

    private P2PRegistry(RegistryServer server, string scratch, CountingBlobStore blobs)
    {
        this.server = server;
        this.scratch = scratch;
        Blobs = blobs;
    }

    public CountingBlobStore Blobs { get; }

    public Uri BaseAddress => server.BaseAddress;

    public IServiceProvider Services => server.Services;

    /// <param name="services">More registrations after the composition (a failing tracker store); null for none.</param>
    /// <param name="settings">More runtime.conf keys (<c>p2p:peers</c>); null for none.</param>
    public static async Task<P2PRegistry> StartAsync(Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "dockyard-p2p-" + Guid.NewGuid().ToString("N"));
        CountingBlobStore? counting = null;
        var configuration = new Dictionary<string, string?>
        {
            ["dockyard:standalone"] = "false",
            ["auth_server:privateKey"] = Path.Combine(scratch, "keys", "token.key"),
            ["token:rootcertbundle"] = Path.Combine(scratch, "keys", "token.crt"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        var server = await RegistryServer.StartAsync(configuration, s =>
        {
            var original = s.Last(d => d.ServiceType == typeof(IBlobStore));
            s.Remove(original);
            // The filesystem and RADOS stores are registered by a factory, Azure's as an instance.
            s.AddSingleton<IBlobStore>(sp => counting = new CountingBlobStore((original.ImplementationInstance ?? original.ImplementationFactory?.Invoke(sp)) as IBlobStore
                ?? throw new InvalidOperationException("the blob store is registered neither by a factory nor as an instance")));
            services?.Invoke(s);
        });
        var users = server.Services.GetRequiredService<UserService>();
        await users.AddAsync("alice", AlicePassword, null, false, CancellationToken.None);
        await users.AddAsync("bob", BobPassword, null, false, CancellationToken.None);
        _ = server.Services.GetRequiredService<IBlobStore>();
        return new P2PRegistry(server, scratch, counting!);
    }

    /// <summary>An HTTP client sending <paramref name="user"/>'s Basic credentials.</summary>
    public HttpClient ClientAs(string user, string password)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    /// <summary>Pushes <paramref name="content"/> as a blob of <paramref name="repository"/> as alice (creating it private) and returns its digest.</summary>
    public Task<Digest> PushBlobAsync(string repository, byte[] content) => PushBlobAsync(repository, content, "alice", AlicePassword);

    /// <summary>Pushes <paramref name="content"/> as a blob of <paramref name="repository"/> as <paramref name="user"/> and returns its digest.</summary>
    public async Task<Digest> PushBlobAsync(string repository, byte[] content, string user, string password)
    {
        using var client = ClientAs(user, password);
        var digest = Digest.Compute(content);
        using var start = await client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.True(start.IsSuccessStatusCode, $"upload start: {(int)start.StatusCode} {await start.Content.ReadAsStringAsync()}");
        var location = start.Headers.Location!.ToString();
        var put = location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest.Value);
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await client.PutAsync(put, body);
        Assert.True(done.IsSuccessStatusCode, $"upload end: {(int)done.StatusCode} {await done.Content.ReadAsStringAsync()}");
        return digest;
    }

    /// <summary>Starts an agent pulling as <paramref name="user"/>; stopped with this registry.</summary>
    /// <param name="cacheDirectory">The agent's cache folder (to restart an agent on it); null for a fresh one.</param>
    /// <param name="configure">Changes to the agent's options (TLS); null for none.</param>
    public async Task<AgentHost> StartAgentAsync(string user, string password, int parallelism = 4, ILoggerFactory? logging = null, string? cacheDirectory = null,
        Func<AgentOptions, AgentOptions>? configure = null)
    {
        var options = new AgentOptions
        {
            Registry = server.BaseAddress,
            Credentials = new RegistryCredentials(user, password),
            Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            PeerListen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
            CacheDirectory = cacheDirectory ?? Path.Combine(scratch, "agent-" + Guid.NewGuid().ToString("N")),
            CacheBytes = 64L << 20,
            Parallelism = parallelism,
            PeerTimeout = TimeSpan.FromSeconds(10),
            // Short, so tests whose fake peers never hold a piece do not wait for it long.
            PeerWait = TimeSpan.FromSeconds(1),
        };
        var agent = await AgentHost.StartAsync(configure?.Invoke(options) ?? options, logging ?? NullLoggerFactory.Instance, CancellationToken.None);
        agents.Add(agent);
        return agent;
    }

    /// <summary>Stops an agent before the registry does (a host going down).</summary>
    public async Task StopAgentAsync(AgentHost agent)
    {
        agents.Remove(agent);
        await agent.DisposeAsync();
    }

    /// <summary>A cache folder under this registry's scratch folder, deleted with it.</summary>
    public string CacheFolder() => Path.Combine(scratch, "agent-" + Guid.NewGuid().ToString("N"));

    /// <summary>Announces <paramref name="address"/> (a fake peer's) as a holder of the blob of alice/app, as alice.</summary>
    public async Task AnnounceAsync(Digest blob, string agent, string address)
    {
        using var client = ClientAs("alice", AlicePassword);
        using var response = await client.PostAsJsonAsync($"/p2p/v1/alice/app/blobs/{blob}/peers", new { agent, address, ttl = 300 });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>Waits (at most 10 s) until the tracker names <paramref name="peerAddress"/> among the blob's peers.</summary>
    public async Task WaitForPeerAsync(string repository, Digest blob, string peerAddress)
    {
        using var client = ClientAs("alice", AlicePassword);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var peers = await client.GetStringAsync($"/p2p/v1/{repository}/blobs/{blob}/peers");
            if (peers.Contains($"\"{peerAddress}\"", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"the tracker never named {peerAddress} for {blob}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }
        await server.DisposeAsync();
        try
        {
            Directory.Delete(scratch, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
