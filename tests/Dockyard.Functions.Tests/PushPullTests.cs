using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dockyard.Functions.Tests;

/// <summary>A push and a pull through the worker's functions alone, on Azure Blob + Azure Tables in Azurite.</summary>
public sealed class PushPullTests
{
    [Fact]
    public async Task Push_in_chunks_and_streamed_then_pull_through_the_functions()
    {
        if (WorkerHost.AzuriteSettings() is not { } settings)
        {
            return;
        }
        try
        {
            await using var worker = await WorkerHost.StartAsync(settings);
            var client = worker.Client;
            using (var root = await client.GetAsync("/v2/"))
            {
                Assert.Equal(HttpStatusCode.OK, root.StatusCode);
                Assert.Equal("registry/2.0", root.Headers.GetValues("Docker-Distribution-API-Version").Single());
            }
            const string repository = "serverless/team/app";
            var layer = RandomNumberGenerator.GetBytes(300_000);
            var location = await Registry.StartUploadAsync(client, repository);
            location = await Registry.PatchChunkAsync(client, location, layer, 0, 100_000);
            location = await Registry.PatchChunkAsync(client, location, layer, 100_000, layer.Length - 100_000);
            var layerDigest = await Registry.CompleteAsync(client, location, layer);

            var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
            location = await Registry.StartUploadAsync(client, repository);
            location = await Registry.PatchStreamedAsync(client, location, config);
            await Registry.CompleteAsync(client, location, config);

            var manifest = await Registry.PutManifestAsync(client, repository, "v1", Registry.ImageManifest(config, layer));

            using (var tags = await client.GetAsync($"/v2/{repository}/tags/list"))
            {
                Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
                using var body = JsonDocument.Parse(await tags.Content.ReadAsStringAsync());
                Assert.Equal(["v1"], body.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            }
            using (var get = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/v1"))
            {
                get.Headers.Accept.ParseAdd(Registry.OciManifest);
                using var pulled = await client.SendAsync(get);
                Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
                Assert.Equal(manifest, await pulled.Content.ReadAsByteArrayAsync());
                Assert.Equal(Registry.DigestOf(manifest), pulled.Headers.GetValues("Docker-Content-Digest").Single());
            }
            Assert.Equal(layer, await client.GetByteArrayAsync($"/v2/{repository}/blobs/{layerDigest}"));
            using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{layerDigest}")))
            {
                Assert.Equal(HttpStatusCode.OK, head.StatusCode);
                Assert.Equal(layer.Length, head.Content.Headers.ContentLength);
            }
        }
        finally
        {
            await WorkerHost.DeleteStorageAsync(settings);
        }
    }

    [Fact]
    public async Task Blob_get_redirects_to_a_sas_url_with_sasredirect()
    {
        if (WorkerHost.AzuriteSettings() is not { } settings)
        {
            return;
        }
        settings["azure:sasredirect"] = "true";
        try
        {
            await using var worker = await WorkerHost.StartAsync(settings);
            var blob = RandomNumberGenerator.GetBytes(50_000);
            var location = await Registry.StartUploadAsync(worker.Client, "sas/app");
            location = await Registry.PatchStreamedAsync(worker.Client, location, blob);
            var digest = await Registry.CompleteAsync(worker.Client, location, blob);

            using var get = await worker.Client.GetAsync($"/v2/sas/app/blobs/{digest}");
            Assert.Equal(HttpStatusCode.TemporaryRedirect, get.StatusCode);
            var sas = get.Headers.Location!;
            Assert.Contains("sig=", sas.Query, StringComparison.Ordinal);
            using var azurite = new HttpClient();
            Assert.Equal(blob, await azurite.GetByteArrayAsync(sas));
        }
        finally
        {
            await WorkerHost.DeleteStorageAsync(settings);
        }
    }

    [Fact]
    public async Task V1_and_appc_answer_on_azure_tables_and_unknown_paths_get_the_registry_404()
    {
        if (WorkerHost.AzuriteSettings() is not { } settings)
        {
            return;
        }
        try
        {
            await using var worker = await WorkerHost.StartAsync(settings);
            using (var ping = await worker.Client.GetAsync("/v1/_ping"))
            {
                Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
            }
            // Their stores live in Azure Tables: what was never pushed is a 404, never a 501.
            foreach (var path in new[] { "/v1/repositories/library/busybox/tags", "/appc/acme/app/fetch/app-1.0-linux-amd64.aci" })
            {
                using var response = await worker.Client.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode} {body}");
                Assert.DoesNotContain("UNSUPPORTED", body, StringComparison.Ordinal);
            }
            using var unknown = await worker.Client.GetAsync("/no/such/thing");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("NOT_FOUND", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await WorkerHost.DeleteStorageAsync(settings);
        }
    }
}
