using System.Net;
using System.Text.Json;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

public sealed class CatalogTests
{
    private static readonly string[] Repositories = ["zeta", "alpha/one", "alpha", "mid-dle", "alpha/one/two", "b.c"];

    [Fact]
    public async Task Empty_registry_lists_no_repositories()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync("/v2/_catalog");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Empty(await ReadAsync(response));
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Lists_repositories_in_lexical_order()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushAllAsync(server.Client);
        using var response = await server.Client.GetAsync("/v2/_catalog");
        Assert.Equal(Repositories.Order(StringComparer.Ordinal), await ReadAsync(response));
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Follows_link_headers_through_every_page()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushAllAsync(server.Client);
        var seen = new List<string>();
        var next = "/v2/_catalog?n=4";
        var pages = 0;
        while (next is not null)
        {
            using var response = await server.Client.GetAsync(next);
            var page = await ReadAsync(response);
            Assert.InRange(page.Count, 1, 4);
            seen.AddRange(page);
            pages++;
            next = response.Headers.TryGetValues("Link", out var links) ? ParseNext(links.Single()) : null;
        }
        Assert.Equal(2, pages);
        Assert.Equal(Repositories.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Last_itself_is_never_returned()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushAllAsync(server.Client);
        var expected = Repositories.Order(StringComparer.Ordinal).ToList();
        using var response = await server.Client.GetAsync($"/v2/_catalog?n=2&last={Uri.EscapeDataString(expected[1])}");
        var page = await ReadAsync(response);
        Assert.Equal(expected[2..4], page);
        Assert.DoesNotContain(expected[1], page);
        Assert.Contains($"last={Uri.EscapeDataString(expected[3])}", Header(response, "Link"));
    }

    [Fact]
    public async Task N_zero_answers_an_empty_list()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushAllAsync(server.Client);
        using var response = await server.Client.GetAsync("/v2/_catalog?n=0");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await ReadAsync(response));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-3")]
    public async Task Invalid_n_answers_400(string n)
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync($"/v2/_catalog?n={n}");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Post_to_the_catalog_answers_405_unsupported()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.PostAsync("/v2/_catalog", null);
        await AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }

    private static async Task PushAllAsync(HttpClient client)
    {
        foreach (var repository in Repositories)
        {
            await PushBlobAsync(client, repository, RandomBytes(8));
        }
    }

    private static string ParseNext(string link)
    {
        Assert.Matches("^<[^>]+>; rel=\"next\"$", link);
        return link[1..link.IndexOf('>')];
    }

    private static async Task<List<string>> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!).ToList();
    }
}
