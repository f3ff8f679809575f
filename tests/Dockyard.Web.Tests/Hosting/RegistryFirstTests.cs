using System.Net;
using Dockyard.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Web.Tests.Hosting;

/// <summary>
/// The UI shares the registry's port without taking any of its routes: registry paths answer as before (JSON, registry
/// headers, no UI cookies or headers), pages answer HTML, and a path nobody claims still gets the registry's JSON 404.
/// </summary>
public sealed class RegistryFirstTests
{
    [Fact]
    public async Task Registry_routes_still_win_and_unknown_paths_keep_the_registry_404()
    {
        await using var registry = await WebRegistry.StartAsync();
        using var client = registry.ApiClient();

        foreach (var path in new[] { "/v2/", "/v1/_ping", "/healthz", "/metrics", "/uam/auth", "/uam/no-such-route", "/v2/alice/app/tags/list", "/p2p/v1/no-such-route" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.Headers.Contains("Docker-Distribution-API-Version"), $"{path} did not reach the registry");
            Assert.False(response.Headers.Contains("Content-Security-Policy"), $"{path} went through the UI");
            Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        }
        // Registry traffic alone never builds the UI's pipeline (its services cost a client-only node ~20 MiB).
        var ui = registry.Server.Services.GetRequiredService<LazyWebUi>();
        Assert.False(ui.IsBuilt);
        using (var home = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.Equal("text/html", home.Content.Headers.ContentType?.MediaType);
        }
        Assert.True(ui.IsBuilt);
        using (var css = await client.GetAsync(Assets.Stylesheet.Url))
        {
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
            Assert.Contains(".badge", await css.Content.ReadAsStringAsync());
        }
        using var unknown = await client.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("NOT_FOUND", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task In_standalone_mode_anyone_browses_what_was_pushed()
    {
        await using var registry = await WebRegistry.StartAsync(standalone: true);
        using var api = registry.ApiClient();
        await Dockyard.Testing.TestImage.PushAsync(api, "team/tool", "1.0");
        using var anonymous = new WebSession(registry.BaseAddress);

        Assert.Contains(">team</a>", (await anonymous.GetAsync("/")).Html);
        Assert.Contains(">team/tool</a>", (await anonymous.GetAsync("/namespaces/team")).Html);
        var (status, html) = await anonymous.GetAsync("/repositories/team/tool");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(">1.0</a>", html);
    }
}
