using System.Net;
using System.Text.Json;
using Dockyard.Core.Blobs;
using Dockyard.Core.Metadata;
using Dockyard.Http.Tests.Telemetry;
using Dockyard.Testing;

namespace Dockyard.Http.Tests.Health;

/// <summary>/healthz and /readyz on the real server: liveness always, readiness only while both stores answer.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_answers_200_with_a_tiny_body()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task Readyz_answers_200_when_both_stores_answer()
    {
        await using var server = await RegistryServer.StartAsync();
        Assert.Equal((HttpStatusCode.OK, "ready", "ok", "ok"), await ReadyzAsync(server));
    }

    [Fact]
    public async Task Readyz_answers_503_naming_the_blob_store_while_it_is_down_and_200_once_it_is_back()
    {
        var down = false;
        await using var server = await RegistryServer.StartAsync(services: s => FailingStore<IBlobStore>.Replace(s, () => down));
        down = true;
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "unavailable", "ok", "unavailable"), await ReadyzAsync(server));
        // Liveness does not depend on the stores.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
        down = false;
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Readyz_answers_503_naming_the_metadata_store_while_it_is_down()
    {
        var down = false;
        await using var server = await RegistryServer.StartAsync(services: s => FailingStore<IMetadataStore>.Replace(s, () => down));
        down = true;
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "unavailable", "unavailable", "ok"), await ReadyzAsync(server));
    }

    [Fact]
    public async Task A_store_that_is_down_counts_as_a_storage_error_of_its_backend()
    {
        var down = false;
        await using var server = await RegistryServer.StartAsync(services: s => FailingStore<IBlobStore>.Replace(s, () => down));
        var before = MetricsText.Value(await server.Client.GetStringAsync("/metrics"), "dockyard_storage_errors_total", ("backend", "test"));
        down = true;
        using var upload = await server.Client.PostAsync("/v2/health/down/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, upload.StatusCode);
        var after = MetricsText.Value(await server.Client.GetStringAsync("/metrics"), "dockyard_storage_errors_total", ("backend", "test"));
        Assert.True(after >= before + 1, $"storage errors {before} -> {after}");
    }

    /// <summary>GET /readyz: the status code, the body's status and its metadata and blobs checks.</summary>
    private static async Task<(HttpStatusCode Code, string? Status, string? Metadata, string? Blobs)> ReadyzAsync(RegistryServer server)
    {
        using var response = await server.Client.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks");
        return (response.StatusCode, body.RootElement.GetProperty("status").GetString(), checks.GetProperty("metadata").GetString(),
            checks.GetProperty("blobs").GetString());
    }
}
