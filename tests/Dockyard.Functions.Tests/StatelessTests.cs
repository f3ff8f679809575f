using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Functions.Tests;

/// <summary>Two worker instances (two service providers) on one Azurite: nothing one needs lives in the other's memory.</summary>
public sealed class StatelessTests
{
    [Fact]
    public async Task Upload_started_on_one_instance_finishes_on_the_other_and_pulls_from_the_first()
    {
        if (WorkerHost.AzuriteSettings() is not { } settings)
        {
            return;
        }
        try
        {
            await using var first = await WorkerHost.StartAsync(settings);
            await using var second = await WorkerHost.StartAsync(settings);
            Assert.NotSame(first.Services, second.Services);
            const string repository = "stateless/app";
            var layer = RandomNumberGenerator.GetBytes(200_000);

            // Started and half sent on the first, the rest (streamed) and the closing PUT on the second.
            var location = await Registry.StartUploadAsync(first.Client, repository);
            location = await Registry.PatchChunkAsync(first.Client, location, layer, 0, 80_000);
            location = await Registry.PatchChunkAsync(second.Client, location, layer, 80_000, 60_000);
            using (var status = await first.Client.GetAsync(location))
            {
                Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
                Assert.Equal("0-139999", status.Headers.GetValues("Range").Single());
            }
            location = await Registry.PatchChunkAsync(second.Client, location, layer, 140_000, layer.Length - 140_000);
            var digest = await Registry.CompleteAsync(second.Client, location, layer);

            var config = Encoding.UTF8.GetBytes("""{"architecture":"arm64","os":"linux"}""");
            location = await Registry.StartUploadAsync(second.Client, repository);
            location = await Registry.PatchStreamedAsync(first.Client, location, config);
            await Registry.CompleteAsync(second.Client, location, config);
            var manifest = await Registry.PutManifestAsync(second.Client, repository, "latest", Registry.ImageManifest(config, layer));

            Assert.Equal(layer, await first.Client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}"));
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/latest");
            get.Headers.Accept.ParseAdd(Registry.OciManifest);
            using var pulled = await first.Client.SendAsync(get);
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
            Assert.Equal(manifest, await pulled.Content.ReadAsByteArrayAsync());
            Assert.Contains("latest", await first.Client.GetStringAsync($"/v2/{repository}/tags/list"), StringComparison.Ordinal);
        }
        finally
        {
            await WorkerHost.DeleteStorageAsync(settings);
        }
    }
}
