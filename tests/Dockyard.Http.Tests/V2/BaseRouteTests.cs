using System.Net;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.V2;

public sealed class BaseRouteTests
{
    [Fact]
    public async Task Get_v2_answers_200_with_the_api_version_header()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("registry/2.0", response.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }
}
