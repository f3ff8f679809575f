using System.Net;
using Dockyard.Hosting.Configuration;
using Dockyard.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// <c>[dockyard] trustedproxies</c>: the proxies whose X-Forwarded-For names the client (for login throttling and the
/// upload cap) are loopback plus exactly the listed addresses and networks.
/// </summary>
public sealed class TrustedProxyTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "dockyard-proxies-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Listed_proxies_are_trusted_besides_loopback()
    {
        await using var app = DockyardHost.Build(RuntimeSettings.Bind(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["dockyard:path"] = folder,
            ["dockyard:trustedproxies"] = "10.1.2.3, 192.168.0.0/16",
        }).Build()), "127.0.0.1", 0);
        var options = app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>>().Value;
        bool Trusted(string address) =>
            options.KnownProxies.Contains(IPAddress.Parse(address)) || options.KnownIPNetworks.Any(n => n.Contains(IPAddress.Parse(address)));

        Assert.True(Trusted("127.0.0.1"));
        Assert.True(Trusted("10.1.2.3"));
        Assert.True(Trusted("192.168.44.5"));
        Assert.False(Trusted("10.1.2.4"));
        Assert.False(Trusted("172.16.0.1"));
    }
}
