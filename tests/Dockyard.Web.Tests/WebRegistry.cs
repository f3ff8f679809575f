using System.Net.Http.Headers;
using System.Text;
using Dockyard.Core.Accounts;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Web.Tests;

/// <summary>
/// A real Dockyard server (Kestrel, a fresh data folder) serving the registry and the web UI, with token auth enforced
/// (<c>standalone = false</c>) unless asked otherwise, and helpers to add users and push as them over the V2 API.
/// </summary>
public sealed class WebRegistry : IAsyncDisposable
{
    private readonly string keyFolder;

    private WebRegistry(RegistryServer server, string keyFolder)
    {
        Server = server;
        this.keyFolder = keyFolder;
    }

    public RegistryServer Server { get; }

    public Uri BaseAddress => Server.BaseAddress;

    /// <param name="services">Replaces registrations after the composition (a failing store); null for none.</param>
    /// <param name="extra">More runtime.conf keys ("section:key"); null for none.</param>
    public static async Task<WebRegistry> StartAsync(bool standalone = false, Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string?>? extra = null)
    {
        var keyFolder = Directory.CreateTempSubdirectory("dockyard-web-keys-").FullName;
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>());
        if (!standalone)
        {
            settings["dockyard:standalone"] = "false";
            // Unless given (two nodes sharing one token key): generated in this registry's own folder (runmode = dev).
            settings.TryAdd("auth_server:privateKey", Path.Combine(keyFolder, "token.key"));
            settings.TryAdd("token:rootcertbundle", Path.Combine(keyFolder, "token.crt"));
        }
        return new WebRegistry(await RegistryServer.StartAsync(settings, services), keyFolder);
    }

    public async Task AddUserAsync(string name, string password, bool admin = false) =>
        await Server.Services.GetRequiredService<UserService>().AddAsync(name, password, $"{name}@example.com", admin, CancellationToken.None);

    /// <summary>A browser-like session signed in as <paramref name="user"/>.</summary>
    public async Task<WebSession> SignedInAsync(string user, string password)
    {
        var session = new WebSession(BaseAddress);
        await session.SignInAsync(user, password);
        return session;
    }

    /// <summary>The registry's account store, to check what a page changed.</summary>
    public IAccountStore Accounts => Server.Services.GetRequiredService<IAccountStore>();

    /// <summary>A V2 API client authenticating with Basic credentials (none when <paramref name="user"/> is null).</summary>
    public HttpClient ApiClient(string? user = null, string? password = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
        return client;
    }

    /// <summary>Makes a repository public or private through Core, as its owner would.</summary>
    public async Task SetPublicAsync(string ns, string name, bool isPublic)
    {
        var accounts = Server.Services.GetRequiredService<IAccountStore>();
        var policy = await accounts.Repositories.GetAsync(ns, name, CancellationToken.None) ?? throw new InvalidOperationException($"no {ns}/{name}");
        await accounts.Repositories.UpdateAsync(policy with { IsPublic = isPublic }, CancellationToken.None);
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
