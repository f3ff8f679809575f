using System.Net;
using System.Text;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

public sealed class ManifestTests
{
    public static TheoryData<string> MediaTypes => [OciManifest, OciIndex, DockerManifest, DockerManifestList];

    [Theory]
    [MemberData(nameof(MediaTypes))]
    public async Task Put_get_head_delete_by_tag_and_by_digest(string mediaType)
    {
        await using var server = await RegistryServer.StartAsync();
        var client = server.Client;
        var json = await BuildAsync(client, "app", mediaType);
        var bytes = Encoding.UTF8.GetBytes(json);
        var digest = DigestOf(bytes);

        using (var put = await PutManifestAsync(client, "app", "v1", json, mediaType))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(digest, Header(put, "Docker-Content-Digest"));
            Assert.Equal(new Uri(server.BaseAddress, $"/v2/app/manifests/{digest}"), put.Headers.Location);
        }
        foreach (var reference in new[] { "v1", digest })
        {
            using var get = await client.GetAsync($"/v2/app/manifests/{reference}");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(mediaType, get.Content.Headers.ContentType!.MediaType);
            Assert.Equal(digest, Header(get, "Docker-Content-Digest"));
            Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());

            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/manifests/{reference}"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
            Assert.Equal(mediaType, head.Content.Headers.ContentType!.MediaType);
            Assert.Equal(digest, Header(head, "Docker-Content-Digest"));
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
        using (var delete = await client.DeleteAsync($"/v2/app/manifests/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }
        using var gone = await client.GetAsync($"/v2/app/manifests/{digest}");
        await AssertErrorAsync(gone, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Get_returns_exactly_the_pushed_bytes_even_with_unusual_whitespace()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        var layer = await PushDescriptorAsync(server.Client, "app", OciLayer, RandomBytes(10));
        var json = "\n\t{ \"layers\" :\r\n [ " + layer.ToJson() + " ] ,\"schemaVersion\":   2 ,\n\n  \"config\":"
            + config.ToJson() + ", \"mediaType\" : \"" + OciManifest + "\" ,\"annotations\":{\"z\":\"\\u00e9\",\"a\":\"1\"}   }\n\n";

        var pushed = await PushManifestAsync(server.Client, "app", "spaced", json, OciManifest);

        using var get = await server.Client.GetAsync("/v2/app/manifests/spaced");
        Assert.Equal(Encoding.UTF8.GetBytes(json), await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(pushed.Digest, Header(get, "Docker-Content-Digest"));
    }

    [Fact]
    public async Task Put_by_matching_digest_is_accepted()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        var json = ImageManifestJson(OciManifest, config, []);
        var digest = DigestOf(Encoding.UTF8.GetBytes(json));

        using var put = await PutManifestAsync(server.Client, "app", digest, json, OciManifest);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest, Header(put, "Docker-Content-Digest"));
        using var get = await server.Client.GetAsync($"/v2/app/manifests/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task Put_by_sha512_digest_stores_and_serves_under_that_digest()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{\"a\":1}"));
        var json = ImageManifestJson(OciManifest, config, []);
        var digest = DigestOf(Encoding.UTF8.GetBytes(json), "sha512");

        using var put = await PutManifestAsync(server.Client, "app", digest, json, OciManifest);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(digest, Header(put, "Docker-Content-Digest"));
        using var get = await server.Client.GetAsync($"/v2/app/manifests/{digest}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(json, await get.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Subject_is_echoed_in_the_oci_subject_header()
    {
        await using var server = await RegistryServer.StartAsync();
        var subject = await PushImageAsync(server.Client, "app", "v1");
        var config = await PushDescriptorAsync(server.Client, "app", "application/vnd.example+json", Encoding.UTF8.GetBytes("{}"));
        var json = ImageManifestJson(OciManifest, config, [], $"\"subject\":{subject.ToJson()}");

        using var put = await PutManifestAsync(server.Client, "app", DigestOf(Encoding.UTF8.GetBytes(json)), json, OciManifest);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(subject.Digest, Header(put, "OCI-Subject"));
    }

    [Fact]
    public async Task Manifest_without_subject_has_no_oci_subject_header()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        using var put = await PutManifestAsync(server.Client, "app", "v1", ImageManifestJson(OciManifest, config, []), OciManifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.False(HasHeader(put, "OCI-Subject"));
    }

    [Fact]
    public async Task Delete_by_tag_removes_only_the_tag()
    {
        await using var server = await RegistryServer.StartAsync();
        var manifest = await PushImageAsync(server.Client, "app", "v1");

        using (var delete = await server.Client.DeleteAsync("/v2/app/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }
        using (var byTag = await server.Client.GetAsync("/v2/app/manifests/v1"))
        {
            await AssertErrorAsync(byTag, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }
        using var byDigest = await server.Client.GetAsync($"/v2/app/manifests/{manifest.Digest}");
        Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
        using var tags = await server.Client.GetAsync("/v2/app/tags/list");
        Assert.DoesNotContain("v1", await tags.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Delete_by_digest_removes_its_tags()
    {
        await using var server = await RegistryServer.StartAsync();
        var manifest = await PushImageAsync(server.Client, "app", "v1");
        using (var retag = await PutManifestAsync(server.Client, "app", "latest", await GetStringAsync(server.Client, "v1"), OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, retag.StatusCode);
        }

        using (var delete = await server.Client.DeleteAsync($"/v2/app/manifests/{manifest.Digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }
        foreach (var tag in new[] { "v1", "latest" })
        {
            using var get = await server.Client.GetAsync($"/v2/app/manifests/{tag}");
            await AssertErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        }
        using var tags = await server.Client.GetAsync("/v2/app/tags/list");
        Assert.Equal("""{"name":"app","tags":[]}""", await tags.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Retagging_moves_the_tag_to_the_new_manifest()
    {
        await using var server = await RegistryServer.StartAsync();
        await PushImageAsync(server.Client, "app", "latest");
        var second = await PushImageAsync(server.Client, "app", "latest");

        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/app/manifests/latest"));
        Assert.Equal(second.Digest, Header(head, "Docker-Content-Digest"));
    }

    [Fact]
    public async Task Manifest_of_another_repository_is_unknown()
    {
        await using var server = await RegistryServer.StartAsync();
        var manifest = await PushImageAsync(server.Client, "one", "v1");
        using var get = await server.Client.GetAsync($"/v2/two/manifests/{manifest.Digest}");
        await AssertErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Location_follows_forwarded_proto_and_host()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        var json = ImageManifestJson(OciManifest, config, []);
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v2/app/manifests/v1") { Content = new StringContent(json) };
        request.Content.Headers.ContentType = new(OciManifest);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "registry.example.com:8443");

        using var put = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(new Uri($"https://registry.example.com:8443/v2/app/manifests/{DigestOf(Encoding.UTF8.GetBytes(json))}"), put.Headers.Location);
    }

    private static async Task<string> GetStringAsync(HttpClient client, string tag)
    {
        using var get = await client.GetAsync($"/v2/app/manifests/{tag}");
        return await get.Content.ReadAsStringAsync();
    }

    /// <summary>A manifest of <paramref name="mediaType"/> whose blobs (and, for an index, child manifest) are already pushed.</summary>
    private static async Task<string> BuildAsync(HttpClient client, string repository, string mediaType)
    {
        switch (mediaType)
        {
            case OciIndex:
                var image = await PushImageAsync(client, repository, "child");
                return IndexJson(OciIndex, [image], "\"annotations\":{\"k\":\"v\"}");
            case DockerManifestList:
                var docker = await PushImageAsync(client, repository, "child", DockerManifest);
                return IndexJson(DockerManifestList, [docker]);
            default:
                var docker2 = mediaType == DockerManifest;
                var config = await PushDescriptorAsync(client, repository, docker2 ? DockerConfig : OciConfig, Encoding.UTF8.GetBytes("{\"os\":\"linux\"}"));
                var layer = await PushDescriptorAsync(client, repository, docker2 ? DockerLayer : OciLayer, RandomBytes(333));
                return ImageManifestJson(mediaType, config, [layer]);
        }
    }
}
