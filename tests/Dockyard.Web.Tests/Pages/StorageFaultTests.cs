using System.Net;
using Dockyard.Core.Metadata;
using Dockyard.Http.Tests.Health;
using Dockyard.Testing;

namespace Dockyard.Web.Tests.Pages;

/// <summary>A storage backend that is down for now makes a page answer 503 with Retry-After, as the API does; never 500.</summary>
public sealed class StorageFaultTests
{
    [Fact]
    public async Task Pages_answer_503_with_Retry_After_while_the_metadata_store_is_down_and_recover()
    {
        var down = false;
        await using var registry = await WebRegistry.StartAsync(standalone: true, services: s => FailingStore<IMetadataStore>.Replace(s, () => down));
        using var api = registry.ApiClient();
        await TestImage.PushAsync(api, "team/tool", "1.0");
        using var session = new WebSession(registry.BaseAddress);

        down = true;
        foreach (var path in new[] { "/", "/namespaces/team", "/repositories/team/tool", "/manifests/team/tool?reference=1.0" })
        {
            using var response = await session.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains("Temporarily unavailable", await response.Content.ReadAsStringAsync());
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
        down = false;
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/repositories/team/tool")).Status);
    }
}
