using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Dockyard.Core.Accounts;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Interop.Tests.Auth;

/// <summary>
/// A Dockyard test server with token auth enforced (<c>standalone = false</c>), its development token key and
/// certificate generated in a temp folder, and helpers to add users and call UAM with Basic credentials.
/// </summary>
public sealed class EnforcedRegistry : IAsyncDisposable
{
    private readonly string keyFolder;

    private EnforcedRegistry(RegistryServer server, string keyFolder)
    {
        Server = server;
        this.keyFolder = keyFolder;
    }

    public RegistryServer Server { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Host => Server.HostAndPort;

    public static async Task<EnforcedRegistry> StartAsync()
    {
        var keyFolder = Directory.CreateTempSubdirectory("dockyard-interop-keys-").FullName;
        var server = await RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["dockyard:standalone"] = "false",
            ["auth_server:privateKey"] = Path.Combine(keyFolder, "token.key"),
            ["token:rootcertbundle"] = Path.Combine(keyFolder, "token.crt"),
        });
        return new EnforcedRegistry(server, keyFolder);
    }

    public async Task AddUserAsync(string name, string password, bool admin = false)
    {
        var users = Server.Services.GetRequiredService<UserService>();
        await users.AddAsync(name, password, $"{name}@example.com", admin, CancellationToken.None);
    }

    /// <summary>A request to the server with Basic credentials (none when <paramref name="user"/> is null).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? user, string? password, object? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }
        return await Server.Client.SendAsync(request);
    }

    /// <summary><c>PUT /uam/repository/OWNER/NAME {"ispublic":…}</c> as <paramref name="user"/>; asserts 200.</summary>
    public async Task SetPublicAsync(string repository, bool isPublic, string user, string password)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/uam/repository/{repository}", user, password, new { ispublic = isPublic });
        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"PUT /uam/repository/{repository}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
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
