using Dockyard.Hosting.Configuration;
using Dockyard.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Testing;

/// <summary>
/// A real Dockyard server (Kestrel on 127.0.0.1, a free port) over a fresh data folder, for HTTP and interop tests.
/// Disposing stops it and deletes the folder.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private RegistryServer(WebApplication app, string dataPath, Uri baseAddress)
    {
        this.app = app;
        DataPath = dataPath;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public string DataPath { get; }

    public Uri BaseAddress { get; }

    /// <summary><c>127.0.0.1:port</c>, the registry host as docker and skopeo name it.</summary>
    public string HostAndPort => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    /// <param name="settings">Extra runtime.conf keys as <c>section:key</c>; the data path is always a fresh temp folder.</param>
    /// <param name="services">Replaces registrations after the composition (e.g. wraps a store to inject a fault); null for none.</param>
    public static async Task<RegistryServer> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "dockyard-test-" + Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["dockyard:path"] = dataPath };
        var runtime = RuntimeSettings.Bind(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var app = DockyardHost.Build(runtime, "127.0.0.1", 0, services);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RegistryServer(app, dataPath, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
