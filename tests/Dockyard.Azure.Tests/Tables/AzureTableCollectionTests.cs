using System.Net;
using System.Text.Json;
using Dockyard.Core.Blobs;
using Dockyard.Core.Collection;
using Dockyard.Core.Metadata;
using Dockyard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>
/// Garbage collection with <c>[db] driver = azuretables</c> reads the V1, appc and signature stores: blobs that only
/// they reference (V1 layers, signature contents, converted ACIs) survive a collection past the grace period.
/// </summary>
public sealed class AzureTableCollectionTests
{
    [Fact]
    public async Task Blobs_referenced_only_by_v1_appc_and_signature_records_survive_a_collection()
    {
        await using var registry = await AzureRegistry.StartAsync(new Dictionary<string, string?> { ["dockyard:domains"] = "registry.test" });
        if (registry is null)
        {
            return;
        }
        var http = registry.Server.Client;
        var v1 = new V1Client(http);
        var image = V1Image.Create(null, V1Image.TarOf(("etc/v1", "v1")), gzip: true, "v1");
        await v1.PushAsync("team/gc", "latest", [image]);
        var manifest = AzureRegistry.DigestOf(await AzureRegistry.PushTarImageAsync(http, "team/gc", "1.0", ("etc/motd", "kept"u8.ToArray())));
        await AzureRegistry.PutSignatureAsync(http, "team/gc", manifest, "a", [7, 7, 7]);
        var aci = await http.GetByteArrayAsync("/appc/team/gc/fetch/gc-1.0-linux-amd64.aci");

        var services = registry.Server.Services;
        var collector = new GarbageCollector(services.GetRequiredService<IBlobStore>(), services.GetRequiredService<IMetadataStore>(),
            services.GetRequiredService<RepositoryReferences>(), new CollectionOptions(), new ShiftedTime(TimeSpan.FromHours(2)));
        var report = await collector.RunAsync(dryRun: false, details: true, CancellationToken.None);

        Assert.Equal(0, report.BlobsDeleted);
        Assert.Equal(image.Layer, Assert.Single(await v1.PullAsync("team/gc", "latest")).Layer);
        using var signatures = JsonDocument.Parse(await http.GetStringAsync($"/extensions/v2/team/gc/signatures/{manifest}"));
        Assert.Equal([7, 7, 7], signatures.RootElement.GetProperty("signatures")[0].GetProperty("content").GetBytesFromBase64());
        using var fetched = await http.GetAsync("/appc/team/gc/fetch/gc-1.0-linux-amd64.aci");
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(aci, await fetched.Content.ReadAsByteArrayAsync());
    }
}
