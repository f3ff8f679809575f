using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Core.Blobs;
using Dockyard.Core.Collection;
using Dockyard.Core.Metadata;
using Dockyard.Core.Names;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Dockyard.Testing;

/// <summary>A clock ahead of the real one, so that a collection sees everything stored so far as older than its grace period without waiting.</summary>
public sealed class ShiftedTime(TimeSpan ahead) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
}

/// <summary>
/// The same garbage on any backend: a tagged image that must stay, an image whose manifest was deleted and a blob
/// nothing references, which must go; then one collection with a clock two hours ahead (past the grace period).
/// </summary>
public static class CollectionScenario
{
    private const string Manifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>What must be gone from the backend, what must stay, and what the collection reported.</summary>
    public sealed record Outcome(IReadOnlyList<Digest> Gone, IReadOnlyList<Digest> Kept, CollectionReport Report);

    public static async Task<Outcome> RunAsync(RegistryServer server, string repository)
    {
        var kept = await PushImageAsync(server.Client, repository, "kept");
        var deleted = await PushImageAsync(server.Client, repository, "deleted");
        using (var delete = await server.Client.DeleteAsync($"/v2/{repository}/manifests/{deleted[0]}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }
        var stray = await PushBlobAsync(server.Client, repository, RandomNumberGenerator.GetBytes(3000));
        var collector = new GarbageCollector(server.Services.GetRequiredService<IBlobStore>(), server.Services.GetRequiredService<IMetadataStore>(),
            server.Services.GetRequiredService<RepositoryReferences>(), new CollectionOptions(), new ShiftedTime(TimeSpan.FromHours(2)));

        var report = await collector.RunAsync(dryRun: false, details: true, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/v2/{repository}/manifests/kept")).StatusCode);
        foreach (var digest in kept)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/v2/{repository}/blobs/{digest}")).StatusCode);
        }
        return new Outcome([.. deleted, stray], kept, report);
    }

    /// <summary>Pushes a config, a layer and a manifest tagged <paramref name="tag"/>; returns the manifest's digest first, then the blobs'.</summary>
    private static async Task<List<Digest>> PushImageAsync(HttpClient client, string repository, string tag)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"tag":"{{tag}}","n":"{{Guid.NewGuid()}}"}""");
        var layer = RandomNumberGenerator.GetBytes(2000);
        var configDigest = await PushBlobAsync(client, repository, config);
        var layerDigest = await PushBlobAsync(client, repository, layer);
        var json = $$"""{"schemaVersion":2,"mediaType":"{{Manifest}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{layerDigest}}","size":{{layer.Length}}}]}""";
        using var content = new StringContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue(Manifest);
        using var put = await client.PutAsync($"/v2/{repository}/manifests/{tag}", content);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return [Digest.Compute(Encoding.UTF8.GetBytes(json)), configDigest, layerDigest];
    }

    private static async Task<Digest> PushBlobAsync(HttpClient client, string repository, byte[] data)
    {
        var digest = Digest.Compute(data);
        using var content = new ByteArrayContent(data);
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }
}
