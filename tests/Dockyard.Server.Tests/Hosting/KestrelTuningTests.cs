using Dockyard.Server.Transport;
using Dockyard.Testing;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>Host settings the benchmarks depend on; each was a measured cost when missing (docs/benchmarks.md).</summary>
public sealed class KestrelTuningTests
{
    [Fact]
    public async Task Kestrel_and_its_socket_transport_get_large_block_pools()
    {
        await using var server = await RegistryServer.StartAsync();
        Assert.IsType<LargeBlockMemoryPoolFactory>(server.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
        using var response = await server.Client.GetAsync("/v2/");
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task No_configuration_file_is_watched_for_changes()
    {
        // A reloadable appsettings.json makes the host watch the working folder, where ./data lives by default,
        // and wake up for every blob file written.
        await using var server = await RegistryServer.StartAsync();
        var configuration = (IConfigurationRoot)server.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, f.Source.Path));
    }
}
