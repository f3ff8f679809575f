using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Dockyard.Testing;
using static Dockyard.Testing.V1Client;

namespace Dockyard.Http.Tests.V1;

/// <summary>The docker 1.x push and pull sequences against a standalone server, and the V2 view of the pushed image.</summary>
public sealed class V1PushPullTests : IAsyncLifetime
{
    private RegistryServer server = null!;

    public async Task InitializeAsync() => server = await RegistryServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private static IReadOnlyList<V1Image> TwoLayers()
    {
        var root = V1Image.Create(null, V1Image.TarOf(("etc/os-release", "NAME=test\n")), gzip: true, "#(nop) ADD file in /");
        var child = V1Image.Create(root.Id, V1Image.TarOf(("app/hello.txt", "hello from v1\n")), gzip: false, "echo hello > /app/hello.txt");
        return [root, child];
    }

    [Fact]
    public async Task Ping_announces_the_v1_version_and_standalone_mode()
    {
        using var response = await server.Client.GetAsync("/v1/_ping");
        Assert.True((await ExpectAsync(response, HttpStatusCode.OK)).GetBoolean());
        Assert.Equal("0.9", Header(response, "X-Docker-Registry-Version"));
        Assert.Equal("true", Header(response, "X-Docker-Registry-Standalone"));
    }

    [Fact]
    public async Task Pushed_images_pull_back_byte_for_byte_with_sizes_and_checksums()
    {
        var images = TwoLayers();
        var client = new V1Client(server.Client);
        await client.PushAsync("team/app", "latest", images);

        var pulled = await client.PullAsync("team/app", "latest");
        Assert.Equal(images.Select(i => i.Id), pulled.Select(p => p.Id));
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(images[i].Json, pulled[i].Json);
            Assert.Equal(images[i].Layer, pulled[i].Layer);
            Assert.Equal(images[i].Layer.Length, pulled[i].Size);
            Assert.Equal(images[i].PayloadChecksum, pulled[i].Checksum);
        }
        using var json = await server.Client.GetAsync($"/v1/images/{images[1].Id}/json");
        Assert.Equal("tarsum+sha256:" + new string('0', 64), Header(json, "X-Docker-Checksum"));
        using var list = await server.Client.GetAsync("/v1/repositories/team/app/images");
        var entries = (await ExpectAsync(list, HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(images.Select(i => i.Id).Order(StringComparer.Ordinal), entries.Select(e => e.GetProperty("id").GetString()));
        Assert.All(entries, e => Assert.StartsWith("sha256:", e.GetProperty("checksum").GetString()));
    }

    [Fact]
    public async Task A_tagged_v1_image_is_a_docker_schema2_image_through_v2()
    {
        var images = TwoLayers();
        await new V1Client(server.Client).PushAsync("team/converted", "v7", images);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/team/converted/manifests/v7");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await server.Client.SendAsync(request);
        var manifest = await ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", manifest.GetProperty("mediaType").GetString());
        var layers = manifest.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(images.Select(i => i.LayerDigest), layers.Select(l => l.GetProperty("digest").GetString()));
        Assert.Equal("application/vnd.docker.image.rootfs.diff.tar.gzip", layers[0].GetProperty("mediaType").GetString());
        Assert.Equal("application/vnd.docker.image.rootfs.diff.tar", layers[1].GetProperty("mediaType").GetString());

        var configDigest = manifest.GetProperty("config").GetProperty("digest").GetString();
        var configBytes = await server.Client.GetByteArrayAsync($"/v2/team/converted/blobs/{configDigest}");
        Assert.Equal(configDigest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(configBytes)));
        var config = JsonDocument.Parse(configBytes).RootElement;
        Assert.Equal(images.Select(i => i.DiffId), config.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("amd64", config.GetProperty("architecture").GetString());
        Assert.Equal("linux", config.GetProperty("os").GetString());
        Assert.Equal("sh", config.GetProperty("config").GetProperty("Cmd")[0].GetString());
        var history = config.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal("/bin/sh -c echo hello > /app/hello.txt", history[1].GetProperty("created_by").GetString());
        foreach (var image in images)
        {
            Assert.Equal(image.Layer, await server.Client.GetByteArrayAsync($"/v2/team/converted/blobs/{image.LayerDigest}"));
        }
    }

    [Fact]
    public async Task Single_names_live_in_library_and_tags_can_be_read_and_deleted()
    {
        var images = TwoLayers();
        var client = new V1Client(server.Client);
        await client.PushAsync("busybox", "latest", images);
        Assert.Equal(images[1].Id, (await ExpectAsync(await server.Client.GetAsync("/v1/repositories/library/busybox/tags/latest"), HttpStatusCode.OK)).GetString());
        var tags = await ExpectAsync(await server.Client.GetAsync("/v1/repositories/busybox/tags"), HttpStatusCode.OK);
        Assert.Equal(images[1].Id, tags.GetProperty("latest").GetString());
        await ExpectAsync(await server.Client.GetAsync("/v2/library/busybox/manifests/latest"), HttpStatusCode.OK);

        await ExpectAsync(await server.Client.DeleteAsync("/v1/repositories/busybox/tags/latest"), HttpStatusCode.OK);
        await ExpectAsync(await server.Client.GetAsync("/v1/repositories/busybox/tags/latest"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Search_finds_repositories_by_substring_page_by_page()
    {
        foreach (var name in new[] { "search/alpha", "search/alphabet", "other/beta" })
        {
            await new V1Client(server.Client).PushAsync(name, "latest", [V1Image.Create(null, V1Image.TarOf(("f", name)), true, "add")]);
        }
        var first = await ExpectAsync(await server.Client.GetAsync("/v1/search?q=ALPHA&n=1"), HttpStatusCode.OK);
        Assert.Equal("ALPHA", first.GetProperty("query").GetString());
        Assert.Equal(2, first.GetProperty("num_results").GetInt32());
        Assert.Equal(2, first.GetProperty("num_pages").GetInt32());
        Assert.Equal(1, first.GetProperty("page_size").GetInt32());
        Assert.Equal("search/alpha", first.GetProperty("results")[0].GetProperty("name").GetString());
        var second = await ExpectAsync(await server.Client.GetAsync("/v1/search?q=alpha&n=1&page=2"), HttpStatusCode.OK);
        Assert.Equal("search/alphabet", Assert.Single(second.GetProperty("results").EnumerateArray()).GetProperty("name").GetString());
        await ExpectAsync(await server.Client.GetAsync("/v1/search?q=alpha&n=x"), HttpStatusCode.BadRequest);
    }
}
