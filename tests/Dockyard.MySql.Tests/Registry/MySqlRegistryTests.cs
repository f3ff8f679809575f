using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dockyard.Core.Metadata;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.MySql.Tests.Registry;

/// <summary>The whole registry over HTTP with its metadata on MariaDB.</summary>
public sealed class MySqlRegistryTests
{
    [Fact]
    public async Task A_host_composed_with_driver_mysql_serves_a_push_and_a_pull()
    {
        await using var registry = await MySqlRegistry.StartAsync();
        if (registry is null)
        {
            return;
        }
        Assert.IsType<MySqlMetadataStore>(registry.Server.Services.GetRequiredService<IMetadataStore>());
        var client = registry.Server.Client;
        var image = await TestImage.PushAsync(client, "team/app", "v1");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/team/app/manifests/v1");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(TestImage.OciManifest));
        using var pulled = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(image.Digest, pulled.Headers.GetValues("Docker-Content-Digest").Single());
        var manifest = await pulled.Content.ReadAsByteArrayAsync();
        Assert.Equal(image.Size, manifest.Length);
        using var json = JsonDocument.Parse(manifest);
        foreach (var blob in json.RootElement.GetProperty("layers").EnumerateArray().Append(json.RootElement.GetProperty("config")))
        {
            using var response = await client.GetAsync($"/v2/team/app/blobs/{blob.GetProperty("digest").GetString()}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(blob.GetProperty("size").GetInt64(), (await response.Content.ReadAsByteArrayAsync()).LongLength);
        }

        // Tags differing in case are two tags over HTTP too.
        await TestImage.PushAsync(client, "team/app", "V1");
        using var tags = JsonDocument.Parse(await client.GetStringAsync("/v2/team/app/tags/list"));
        Assert.Equal(["V1", "v1"], tags.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        using var catalog = JsonDocument.Parse(await client.GetStringAsync("/v2/_catalog"));
        Assert.Equal(["team/app"], catalog.RootElement.GetProperty("repositories").EnumerateArray().Select(t => t.GetString()));
    }
}
