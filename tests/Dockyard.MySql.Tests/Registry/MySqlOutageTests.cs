using System.Net.Http.Headers;
using Dockyard.Core.Errors;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.MySql.Tests.Registry;

/// <summary>
/// The database server stopping under a running registry (a private MariaDB, so the shared one stays up): the store
/// throws <see cref="StorageUnavailableException"/>, each request answers 503 UNAVAILABLE with Retry-After, never
/// 500, and the same requests succeed once the server is back.
/// </summary>
public sealed class MySqlOutageTests
{
    [Fact]
    public async Task Requests_answer_503_while_the_server_is_stopped_and_succeed_after_the_restart()
    {
        await using var mariadb = await PrivateMariaDb.StartAsync();
        if (mariadb is null)
        {
            return;
        }
        var options = mariadb.Options;
        await using var registry = await RegistryServer.StartAsync(new Dictionary<string, string?>
        {
            ["db:driver"] = "mysql", ["db:uri"] = options.Uri, ["db:user"] = options.User, ["db:passwd"] = options.Password, ["db:name"] = options.Database,
        });
        var client = registry.Client;
        var image = await TestImage.PushAsync(client, "team/app", "v1");
        var store = registry.Services.GetRequiredService<IMetadataStore>();
        var repository = RepositoryName.Parse("team/app");

        await mariadb.StopAsync();
        var fault = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.Tags.GetAsync(repository, "v1", CancellationToken.None));
        Assert.Equal("mysql", fault.Backend);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.Manifests.PutAsync(repository,
            new ManifestRecord(Digest.Parse(image.Digest), image.MediaType, image.Size, null, null, null, DateTimeOffset.UtcNow), CancellationToken.None));
        foreach (var request in Requests())
        {
            using var response = await client.SendAsync(request);
            Assert.Null(await UnavailableAnswer.CheckAsync(response));
        }

        await mariadb.StartAgainAsync();
        Assert.Equal(Digest.Parse(image.Digest), await store.Tags.GetAsync(repository, "v1", CancellationToken.None));
        foreach (var request in Requests())
        {
            using var response = await client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static IEnumerable<HttpRequestMessage> Requests()
    {
        var manifest = new HttpRequestMessage(HttpMethod.Get, "/v2/team/app/manifests/v1");
        manifest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(TestImage.OciManifest));
        yield return manifest;
        yield return new HttpRequestMessage(HttpMethod.Get, "/v2/team/app/tags/list");
        yield return new HttpRequestMessage(HttpMethod.Get, "/v2/_catalog");
        yield return new HttpRequestMessage(HttpMethod.Post, "/v2/team/app/blobs/uploads/");
    }
}
