using System.Net;
using System.Net.Http.Headers;
using Dockyard.Interop.Tests.TestImages;

namespace Dockyard.Cluster.Tests;

/// <summary>
/// A node may keep pulled manifests in memory (on MySQL with Redis it does: <c>[db] pullcache</c>), but what it serves
/// is what the shared store holds now: a manifest deleted through one node is gone on every other at once, and pushed
/// again it is served again; a tag moved through one node points at its new manifest on every other at once.
/// </summary>
public abstract partial class ClusterTests<TFixture>
{
    [Fact]
    public async Task A_manifest_deleted_on_node_1_is_not_served_by_node_2_which_had_pulled_it()
    {
        var cluster = fixture.Require();
        var repository = Repository("manifests/deleted");
        using var node1 = cluster.AuthorizedClient(fixture.User, fixture.Password, node: 0);
        using var node2 = cluster.AuthorizedClient(fixture.User, fixture.Password, node: 1);
        var manifest = await PushImageAsync(node1, repository, "v1");

        // Twice each, so that node 2 serves it from what it kept at least once.
        for (var pull = 0; pull < 2; pull++)
        {
            Assert.Equal(manifest.Content, await node2.GetByteArrayAsync($"/v2/{repository}/manifests/v1"));
            Assert.Equal(manifest.Content, await node2.GetByteArrayAsync($"/v2/{repository}/manifests/{manifest.Digest}"));
        }

        using (var deleted = await node1.DeleteAsync($"/v2/{repository}/manifests/{manifest.Digest}"))
        {
            Assert.True(deleted.StatusCode == HttpStatusCode.Accepted, $"{(int)deleted.StatusCode} {await deleted.Content.ReadAsStringAsync()}");
        }
        foreach (var reference in new[] { "v1", manifest.Digest })
        {
            using var gone = await node2.GetAsync($"/v2/{repository}/manifests/{reference}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        await PutManifestAsync(node1, repository, "v2", manifest);
        Assert.Equal(manifest.Content, await node2.GetByteArrayAsync($"/v2/{repository}/manifests/v2"));
        Assert.Equal(manifest.Content, await node2.GetByteArrayAsync($"/v2/{repository}/manifests/{manifest.Digest}"));
        using var old = await node2.GetAsync($"/v2/{repository}/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task A_tag_moved_on_node_1_is_what_node_2_serves_next()
    {
        var cluster = fixture.Require();
        var repository = Repository("manifests/moved");
        using var node1 = cluster.AuthorizedClient(fixture.User, fixture.Password, node: 0);
        using var node2 = cluster.AuthorizedClient(fixture.User, fixture.Password, node: 1);
        var first = await PushImageAsync(node1, repository, "v1");
        for (var pull = 0; pull < 2; pull++)
        {
            Assert.Equal(first.Content, await node2.GetByteArrayAsync($"/v2/{repository}/manifests/v1"));
        }

        var second = await PushImageAsync(node1, repository, "v1");

        Assert.Equal(second.Content, await node2.GetByteArrayAsync($"/v2/{repository}/manifests/v1"));
        Assert.Equal(first.Content, await node2.GetByteArrayAsync($"/v2/{repository}/manifests/{first.Digest}"));
    }

    /// <summary>A config, one layer and their OCI manifest under <paramref name="tag"/>, each request answered by <paramref name="node"/>.</summary>
    private static async Task<OciBlob> PushImageAsync(HttpClient node, string repository, string tag)
    {
        var layerBytes = new byte[4096];
        Random.Shared.NextBytes(layerBytes);
        var layer = new OciBlob(OciBlob.LayerType, layerBytes);
        var config = OciBlob.Json(OciBlob.ConfigType, new { architecture = "amd64", os = "linux", rootfs = new { type = "layers", diff_ids = new[] { layer.Digest } } });
        foreach (var blob in new[] { layer, config })
        {
            using var content = new ByteArrayContent(blob.Content);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var stored = await node.PostAsync($"/v2/{repository}/blobs/uploads/?digest={blob.Digest}", content);
            Assert.True(stored.StatusCode == HttpStatusCode.Created, $"blob {blob.Digest}: {(int)stored.StatusCode} {await stored.Content.ReadAsStringAsync()}");
        }
        var manifest = OciBlob.Json(OciBlob.ManifestType, new
        {
            schemaVersion = 2,
            mediaType = OciBlob.ManifestType,
            config = config.Descriptor(),
            layers = new[] { layer.Descriptor() },
        });
        await PutManifestAsync(node, repository, tag, manifest);
        return manifest;
    }

    private static async Task PutManifestAsync(HttpClient node, string repository, string tag, OciBlob manifest)
    {
        using var content = new ByteArrayContent(manifest.Content);
        content.Headers.ContentType = new MediaTypeHeaderValue(OciBlob.ManifestType);
        using var put = await node.PutAsync($"/v2/{repository}/manifests/{tag}", content);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"manifest: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
    }
}
