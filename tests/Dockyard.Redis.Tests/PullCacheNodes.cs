using System.Net;
using Dockyard.Testing;

namespace Dockyard.Redis.Tests;

/// <summary>
/// Three standalone registry nodes in one process sharing one metadata store (a SQLite file all open) and one Redis:
/// A and B with <c>[db] pullcache = on</c>, C with it off, so that C's writes reach the store without touching the
/// repository stamps (a writer behind the cache's back). Each node keeps its own blobs: pulls of small manifests read
/// their bytes from the shared store.
/// </summary>
internal sealed class PullCacheNodes : IAsyncDisposable
{
    private readonly string shared;

    private PullCacheNodes(string shared, string redis, RegistryServer a, RegistryServer b, RegistryServer c)
    {
        this.shared = shared;
        Redis = redis;
        A = a;
        B = b;
        C = c;
    }

    public string Redis { get; }

    public RegistryServer A { get; }

    public RegistryServer B { get; }

    /// <summary>The node without the cache: its writes do not move the stamps.</summary>
    public RegistryServer C { get; }

    /// <summary>The three nodes on the test Redis's database <paramref name="database"/>, emptied first; null without a test Redis.</summary>
    public static async Task<PullCacheNodes?> StartAsync(int database)
    {
        if (TestRedis.Address is not { } redis)
        {
            return null;
        }
        await TestRedis.FlushAsync(redis, database);
        var shared = Directory.CreateTempSubdirectory("dockyard-pull-cache-").FullName;
        Dictionary<string, string?> Settings(string pullCache) => new()
        {
            ["dockyard:standalone"] = "true",
            ["db:uri"] = Path.Combine(shared, "metadata.db"),
            ["db:redis"] = redis,
            ["db:db"] = database.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["db:pullcache"] = pullCache,
        };
        var a = await RegistryServer.StartAsync(Settings("on"));
        var b = await RegistryServer.StartAsync(Settings("on"));
        var c = await RegistryServer.StartAsync(Settings("off"));
        return new PullCacheNodes(shared, redis, a, b, c);
    }

    /// <summary>GET of a manifest on <paramref name="node"/>: the status and the digest it answered with (null when none).</summary>
    public static async Task<(HttpStatusCode Status, string? Digest)> PullAsync(RegistryServer node, string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd(TestImage.OciManifest);
        using var response = await node.Client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? TestImage.DigestOf(body) : null);
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await C.DisposeAsync();
        try
        {
            Directory.Delete(shared, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
