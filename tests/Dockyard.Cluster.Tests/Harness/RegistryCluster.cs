using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dockyard.Testing;

namespace Dockyard.Cluster.Tests.Harness;

/// <summary>
/// Three (or more) real <c>dockyard web</c> processes — the Server project's build output, each with its own
/// runtime.conf and data folder — on free loopback ports, sharing one backend and one token key, with nginx in front.
/// Disposing stops nginx and the nodes and deletes what the cluster stored.
/// </summary>
public sealed class RegistryCluster : IAsyncDisposable
{
    private readonly string folder;

    private RegistryCluster(string folder, ClusterBackend backend, IReadOnlyList<DockyardProcess> nodes, NginxFrontend frontend)
    {
        this.folder = folder;
        Backend = backend;
        Nodes = nodes;
        Frontend = frontend;
        Client = new HttpClient { BaseAddress = new Uri($"http://{frontend.HostAndPort}"), Timeout = TimeSpan.FromMinutes(5) };
    }

    public ClusterBackend Backend { get; }

    public IReadOnlyList<DockyardProcess> Nodes { get; }

    public NginxFrontend Frontend { get; }

    /// <summary>A client of nginx: every request may land on another node.</summary>
    public HttpClient Client { get; }

    /// <summary><c>127.0.0.1:port</c> of nginx.</summary>
    public string Host => Frontend.HostAndPort;

    /// <summary><c>127.0.0.1:port</c> of one node, bypassing nginx.</summary>
    public string NodeHost(int index) => $"127.0.0.1:{Nodes[index].Port}";

    /// <summary>Starts the nodes (the first alone, so that it creates the shared tables; then the others at once) and nginx; null when nginx is missing.</summary>
    public static async Task<RegistryCluster?> StartAsync(ClusterBackend backend, int nodeCount = 3)
    {
        var folder = Directory.CreateTempSubdirectory("dockyard-cluster-").FullName;
        var configuration = NodeConfiguration.Create(backend, folder);
        var nodes = new List<DockyardProcess>();
        try
        {
            nodes.Add(await StartNodeAsync(configuration, folder, 0));
            nodes.AddRange(await Task.WhenAll(Enumerable.Range(1, nodeCount - 1).Select(i => StartNodeAsync(configuration, folder, i))));
            var frontend = await NginxFrontend.StartAsync(Path.Combine(folder, "nginx"), nodes.Select(n => $"127.0.0.1:{n.Port}"));
            if (frontend is null)
            {
                await StopAsync(nodes, backend, folder);
                return null;
            }
            return new RegistryCluster(folder, backend, nodes, frontend);
        }
        catch
        {
            await StopAsync(nodes, backend, folder);
            throw;
        }
    }

    /// <summary>A client of one node, bypassing nginx.</summary>
    public HttpClient NodeClient(int index) => Nodes[index].Client;

    /// <summary>A client sending Basic credentials with every request, to one node or (when null) to nginx.</summary>
    public HttpClient AuthorizedClient(string user, string password, int? node = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://{(node is { } n ? NodeHost(n) : Host)}"), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    /// <summary><c>POST /uam/user/signup</c> on one node (nginx when null); asserts 201.</summary>
    public async Task SignUpAsync(string name, string password, int? node = null)
    {
        var client = node is { } n ? NodeClient(n) : Client;
        using var response = await client.PostAsJsonAsync("/uam/user/signup", new { name, email = $"{name}@cluster.test", password });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"sign-up of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Frontend.DisposeAsync();
        await StopAsync(Nodes, Backend, folder);
    }

    private static async Task<DockyardProcess> StartNodeAsync(NodeConfiguration configuration, string folder, int index)
    {
        var nodeFolder = Path.Combine(folder, $"node{index + 1}");
        Directory.CreateDirectory(nodeFolder);
        var conf = configuration.Write(nodeFolder);
        return await DockyardProcess.StartAsync(nodeFolder, new Dictionary<string, string> { ["DOCKYARD_CONFIG"] = conf });
    }

    private static async Task StopAsync(IEnumerable<DockyardProcess> nodes, ClusterBackend backend, string folder)
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
        await backend.CleanUpAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
