using Dockyard.Http.Routing;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Http.Tests.Routing;

/// <summary>The metrics' <c>route</c> label stays a short, documented list whatever routes the table gains.</summary>
public sealed class RouteFamiliesTests
{
    // The list README.md ("Health, metrics and logs") gives operators; a new family must be added there too.
    private static readonly string[] Documented =
        ["v2-base", "v2-catalog", "v2-tags", "v2-manifest", "v2-blob", "v2-upload", "v2-referrers", "signatures", "volumes", "v1", "appc", "p2p", "uam", "token", "health", "metrics"];

    [Fact]
    public async Task Every_route_belongs_to_a_documented_family()
    {
        await using var server = await RegistryServer.StartAsync();
        var families = server.Services.GetRequiredService<RouteTable>().Routes.Select(r => (r.Name, r.Family)).ToList();
        Assert.Empty(families.Where(f => !Documented.Contains(f.Family)).Select(f => $"{f.Name} -> {f.Family}"));
        Assert.Equal(Documented.Order(), families.Select(f => f.Family).Distinct().Order());
        Assert.Equal("v2-upload", families.Single(f => f.Name == "v2.upload.start").Family);
        Assert.Equal("token", families.Single(f => f.Name == "uam.auth").Family);
    }
}
