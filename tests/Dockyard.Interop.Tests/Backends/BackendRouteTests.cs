using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dockyard.Interop.Tests.TestImages;
using Dockyard.Testing;

namespace Dockyard.Interop.Tests.Backends;

/// <summary>
/// A handful of distribution-API routes through the whole registry on a remote backend: chunked upload, manifest
/// put/get, tag list, referrers, deletes. A derived class names the backend (its runtime.conf keys) and cleans up.
/// </summary>
public abstract class BackendRouteTests : IAsyncLifetime
{
    private const string EmptyConfigType = "application/vnd.oci.empty.v1+json";

    /// <summary>The backend's <c>section:key</c> settings; null (after <see cref="RequiredTool.Missing"/>) when its service is not running.</summary>
    protected abstract Dictionary<string, string?>? BackendSettings { get; }

    /// <summary>Large blobs the test pushed, for <see cref="CleanUpAsync"/>.</summary>
    protected List<string> LargeBlobs { get; } = [];

    /// <summary>Removes what the test left in the remote stores (at least <see cref="LargeBlobs"/>).</summary>
    protected abstract Task CleanUpAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (BackendSettings is not null)
        {
            await CleanUpAsync();
        }
    }

    /// <summary>A registry on this backend (with the read cache when <paramref name="cachable"/>); null when the backend is missing.</summary>
    protected async Task<RegistryServer?> StartAsync(bool cachable = false)
    {
        if (BackendSettings is not { } settings)
        {
            return null;
        }
        var all = new Dictionary<string, string?>(settings);
        if (cachable)
        {
            all["dockyard:cachable"] = "true";
            all["dockyard:cachesize"] = "64";
        }
        return await RegistryServer.StartAsync(all);
    }

    [Fact]
    public async Task Chunked_upload_then_manifest_put_get_tags_referrers_and_deletes()
    {
        await using var server = await StartAsync();
        if (server is null)
        {
            return;
        }
        var client = server.Client;
        var layer = new byte[3_000_000];
        Random.Shared.NextBytes(layer);
        var layerDigest = OciBlob.DigestOf(layer);

        // Chunked upload: POST, three PATCHes with Content-Range, PUT with the digest.
        using (var started = await client.PostAsync("/v2/routes/app/blobs/uploads/", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var location = started.Headers.Location!;
            for (var start = 0; start < layer.Length; start += 1_000_000)
            {
                using var content = new ByteArrayContent(layer, start, 1_000_000);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + 999_999}");
                using var patched = await client.PatchAsync(location, content);
                Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
                Assert.Equal($"0-{start + 999_999}", patched.Headers.GetValues("Range").Single());
                location = patched.Headers.Location!;
            }
            var separator = location.ToString().Contains('?', StringComparison.Ordinal) ? '&' : '?';
            using var put = await client.PutAsync($"{location}{separator}digest={layerDigest}", null);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }
        Assert.Equal(layer, await client.GetByteArrayAsync($"/v2/routes/app/blobs/{layerDigest}"));

        var config = await PushBlobAsync(client, "routes/app", "{}"u8.ToArray());
        var image = Manifest(config, EmptyConfigType, null, (layerDigest, layer.Length));
        var imageDigest = await PutManifestAsync(client, "routes/app", "v1", image);
        await PutManifestAsync(client, "routes/app", "v2", image);

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v2/routes/app/manifests/v1"))
        {
            request.Headers.Accept.ParseAdd(OciBlob.ManifestType);
            using var got = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, got.StatusCode);
            Assert.Equal(imageDigest, got.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(image, await got.Content.ReadAsStringAsync());
        }
        Assert.Equal(["v1", "v2"], await TagsAsync(client, "routes/app"));

        // A referrer (an artifact whose subject is the image) is listed under the image's digest.
        var subject = $$"""{"mediaType":"{{OciBlob.ManifestType}}","digest":"{{imageDigest}}","size":{{Encoding.UTF8.GetByteCount(image)}}}""";
        var signature = Manifest(config, EmptyConfigType, subject, (layerDigest, layer.Length), "application/vnd.example.signature");
        var signatureDigest = await PutManifestAsync(client, "routes/app", OciBlob.DigestOf(Encoding.UTF8.GetBytes(signature)), signature);
        using (var referrers = await client.GetAsync($"/v2/routes/app/referrers/{imageDigest}"))
        {
            Assert.Equal(HttpStatusCode.OK, referrers.StatusCode);
            var listed = JsonNode.Parse(await referrers.Content.ReadAsStringAsync())!["manifests"]!.AsArray();
            var only = Assert.Single(listed);
            Assert.Equal(signatureDigest, (string?)only!["digest"]);
            Assert.Equal("application/vnd.example.signature", (string?)only["artifactType"]);
        }

        // Deletes: a tag, then the manifest by digest, then the layer.
        using (var deleted = await client.DeleteAsync("/v2/routes/app/manifests/v2"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }
        Assert.Equal(["v1"], await TagsAsync(client, "routes/app"));
        using (var deleted = await client.DeleteAsync($"/v2/routes/app/manifests/{imageDigest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }
        using (var gone = await client.GetAsync("/v2/routes/app/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        using (var deleted = await client.DeleteAsync($"/v2/routes/app/blobs/{layerDigest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/routes/app/blobs/{layerDigest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    private static string Manifest(string config, string configType, string? subject, (string Digest, long Size) layer, string? artifactType = null) =>
        "{\"schemaVersion\":2,\"mediaType\":\"" + OciBlob.ManifestType + "\""
        + (artifactType is null ? "" : $",\"artifactType\":\"{artifactType}\"")
        + $",\"config\":{{\"mediaType\":\"{configType}\",\"digest\":\"{config}\",\"size\":2}}"
        + $",\"layers\":[{{\"mediaType\":\"{OciBlob.LayerType}\",\"digest\":\"{layer.Digest}\",\"size\":{layer.Size}}}]"
        + (subject is null ? "" : $",\"subject\":{subject}") + "}";

    private static async Task<string> PushBlobAsync(HttpClient client, string repository, byte[] data)
    {
        var digest = OciBlob.DigestOf(data);
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    private static async Task<string> PutManifestAsync(HttpClient client, string repository, string reference, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(OciBlob.ManifestType);
        using var response = await client.PutAsync($"/v2/{repository}/manifests/{reference}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"PUT manifest {reference}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    private static async Task<string[]> TagsAsync(HttpClient client, string repository)
    {
        var listed = JsonNode.Parse(await client.GetStringAsync($"/v2/{repository}/tags/list"))!;
        return listed["tags"]!.AsArray().Select(t => (string)t!).Order(StringComparer.Ordinal).ToArray();
    }
}
