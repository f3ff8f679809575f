using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dockyard.Core.Accounts;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Redis.Tests;

/// <summary>
/// Two registry nodes in one process: two real servers, each with its own service container, enforcing authorization
/// with the same token keys, sharing one account store (a SQLite file both open) and one Redis.
/// </summary>
internal sealed class TwoNodes : IAsyncDisposable
{
    private readonly string shared;

    private TwoNodes(string shared, string redis, RegistryServer a, RegistryServer b)
    {
        this.shared = shared;
        Redis = redis;
        A = a;
        B = b;
    }

    /// <summary>host:port of the Redis the nodes share.</summary>
    public string Redis { get; }

    public RegistryServer A { get; }

    public RegistryServer B { get; }

    /// <summary>The SQLite file both nodes keep their accounts in.</summary>
    public string MetadataFile => Path.Combine(shared, "metadata.db");

    /// <summary>Two nodes on the test Redis's database <paramref name="database"/> (<c>[db] db</c>), emptied first;
    /// null when there is no test Redis (the test is then skipped, or failed on CI).</summary>
    public static async Task<TwoNodes?> StartAsync(int database)
    {
        if (TestRedis.Address is not { } redis)
        {
            return null;
        }
        await TestRedis.FlushAsync(redis, database);
        var shared = Directory.CreateTempSubdirectory("dockyard-two-nodes-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["dockyard:standalone"] = "false",
            ["auth_server:privateKey"] = Path.Combine(shared, "token.key"),
            ["token:rootcertbundle"] = Path.Combine(shared, "token.crt"),
            ["db:uri"] = Path.Combine(shared, "metadata.db"),
            ["db:redis"] = redis,
            ["db:db"] = database.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // One after the other: the first generates the development token key the second then reads.
        var a = await RegistryServer.StartAsync(settings);
        var b = await RegistryServer.StartAsync(settings);
        return new TwoNodes(shared, redis, a, b);
    }

    /// <summary>Creates a user with <paramref name="password"/> through node A's services (no login attempt).</summary>
    public async Task<string> AddUserAsync(string prefix, string password)
    {
        var name = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        await A.Services.GetRequiredService<UserService>().AddAsync(name, password, name + "@example.com", false, CancellationToken.None);
        return name;
    }

    /// <summary>GET /v2/ on <paramref name="node"/> with Basic credentials; the status.</summary>
    public static async Task<HttpStatusCode> LoginAsync(RegistryServer node, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        request.Headers.Authorization = Basic(user, password);
        using var response = await node.Client.SendAsync(request);
        return response.StatusCode;
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        try
        {
            Directory.Delete(shared, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
