using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dockyard.Core.Accounts;
using Dockyard.Http.Auth;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Http.Tests.Auth;

/// <summary>
/// A real server with authorization enforced (<c>standalone = false</c>, keys generated in a temp folder) or in
/// standalone mode, with helpers for Basic-authenticated clients, users and JSON requests.
/// </summary>
public sealed class AuthServer : IAsyncDisposable
{
    private readonly List<HttpClient> clients = [];
    private readonly string keyFolder;

    private AuthServer(RegistryServer server, string keyFolder)
    {
        Server = server;
        this.keyFolder = keyFolder;
    }

    public RegistryServer Server { get; }

    public string PrivateKeyPath => Path.Combine(keyFolder, "token.key");

    public string CertificatePath => Path.Combine(keyFolder, "token.crt");

    public RegistryAuthOptions Options => Server.Services.GetRequiredService<RegistryAuthOptions>();

    /// <param name="settings">More runtime.conf keys (<c>section:key</c>) besides the auth ones.</param>
    public static async Task<AuthServer> StartAsync(bool standalone = false, IDictionary<string, string?>? settings = null)
    {
        var keys = Path.Combine(Path.GetTempPath(), "dockyard-keys-" + Guid.NewGuid().ToString("N"));
        var server = await RegistryServer.StartAsync(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["dockyard:standalone"] = standalone ? "true" : "false",
            ["auth_server:privateKey"] = Path.Combine(keys, "token.key"),
            ["token:rootcertbundle"] = Path.Combine(keys, "token.crt"),
        });
        return new AuthServer(server, keys);
    }

    /// <summary>The password every test user gets.</summary>
    public static string PasswordOf(string user) => "secret-" + user;

    /// <summary>Creates a user directly through <see cref="UserService"/> (no HTTP, no login attempt).</summary>
    public async Task<string> AddUserAsync(string name, bool admin = false)
    {
        await Server.Services.GetRequiredService<UserService>().AddAsync(name, PasswordOf(name), name + "@example.com", admin, CancellationToken.None);
        return name;
    }

    /// <summary>A client sending Basic credentials of <paramref name="user"/> (its test password unless given); null: anonymous.</summary>
    public HttpClient Client(string? user, string? password = null) => Track(new HttpClient(), user, password);

    /// <summary>
    /// A client like <see cref="Client"/> whose connections come from <paramref name="address"/>, another loopback address
    /// (127.0.0.2, 127.0.0.3…), so that the server sees another client host.
    /// </summary>
    public HttpClient ClientFrom(string address, string? user, string? password = null) =>
        Track(new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (endpoint, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                    await socket.ConnectAsync(endpoint.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }), user, password);

    private HttpClient Track(HttpClient client, string? user, string? password)
    {
        client.BaseAddress = Server.BaseAddress;
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = BasicHeader(user, password ?? PasswordOf(user));
        }
        clients.Add(client);
        return client;
    }

    /// <summary>A client sending a bearer token.</summary>
    public HttpClient BearerClient(string token)
    {
        var client = Track(new HttpClient(), null, null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static AuthenticationHeaderValue BasicHeader(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, object body) =>
        SendJsonAsync(client, HttpMethod.Post, path, body is string text ? text : JsonSerializer.Serialize(body));

    public static Task<HttpResponseMessage> PutJsonAsync(HttpClient client, string path, object body) =>
        SendJsonAsync(client, HttpMethod.Put, path, body is string text ? text : JsonSerializer.Serialize(body));

    private static Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string path, string json) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    /// <summary>Asserts the status (showing the body when it differs) and returns the body, parsed when it is JSON.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode,
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
            return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    /// <summary>Asserts a UAM/registry error: status, error code, and (when given) that the field is named in the error JSON.</summary>
    public static async Task ExpectErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? field = null)
    {
        var body = await ExpectAsync(response, status);
        var error = body.GetProperty("errors")[0];
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (field is not null)
        {
            var text = error.GetRawText();
            Assert.True(error.GetProperty("message").GetString()!.Contains(field, StringComparison.Ordinal), $"the error names no '{field}': {text}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(keyFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>An xunit class fixture around an enforced <see cref="AuthServer"/>.</summary>
public class EnforcedServerFixture : IAsyncLifetime
{
    public AuthServer Auth { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Auth = await AuthServer.StartAsync();

    public async Task DisposeAsync() => await Auth.DisposeAsync();
}
