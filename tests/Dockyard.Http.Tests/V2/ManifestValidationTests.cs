using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

/// <summary>What a manifest PUT refuses, and the error each refusal carries.</summary>
public sealed class ManifestValidationTests
{
    [Fact]
    public async Task Put_by_a_digest_that_does_not_match_answers_400_digest_invalid()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        using var put = await PutManifestAsync(server.Client, "app", DigestOf([1]), ImageManifestJson(OciManifest, config, []), OciManifest);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Missing_layer_answers_400_manifest_blob_unknown()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        var missing = new TestDescriptor(OciLayer, DigestOf([7, 7, 7]), 3);
        using var put = await PutManifestAsync(server.Client, "app", "v1", ImageManifestJson(OciManifest, config, [missing]), OciManifest);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Missing_config_answers_400_manifest_blob_unknown()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = new TestDescriptor(OciConfig, DigestOf([1]), 1);
        using var put = await PutManifestAsync(server.Client, "app", "v1", ImageManifestJson(OciManifest, config, []), OciManifest);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Layer_held_only_by_another_repository_answers_400_manifest_blob_unknown()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        var foreign = await PushDescriptorAsync(server.Client, "other", OciLayer, RandomBytes(5));
        using var put = await PutManifestAsync(server.Client, "app", "v1", ImageManifestJson(OciManifest, config, [foreign]), OciManifest);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Layer_size_that_does_not_match_the_blob_answers_400_manifest_invalid()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        var layer = await PushDescriptorAsync(server.Client, "app", OciLayer, RandomBytes(5));
        using var put = await PutManifestAsync(server.Client, "app", "v1",
            ImageManifestJson(OciManifest, config, [layer with { Size = 6 }]), OciManifest);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    // As distribution does: a child manifest missing from the repository is a MANIFEST_BLOB_UNKNOWN of the PUT.
    [Theory]
    [InlineData(OciIndex)]
    [InlineData(DockerManifestList)]
    public async Task Index_with_a_missing_child_answers_400_manifest_blob_unknown(string mediaType)
    {
        await using var server = await RegistryServer.StartAsync();
        var child = new TestDescriptor(OciManifest, DigestOf([4, 2]), 2);
        using var put = await PutManifestAsync(server.Client, "app", "v1", IndexJson(mediaType, [child]), mediaType);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("not json at all")]
    [InlineData("{\"schemaVersion\":\"2\"}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:abc\",\"size\":1},\"layers\":[]}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":{}}")]
    [InlineData("{\"schemaVersion\":3,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}")]
    public async Task Malformed_manifest_answers_400_manifest_invalid(string json)
    {
        await using var server = await RegistryServer.StartAsync();
        using var put = await PutManifestAsync(server.Client, "app", "v1", json, OciManifest);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Unknown_media_type_answers_400_manifest_invalid()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        const string type = "application/vnd.example.unknown+json";
        using var put = await PutManifestAsync(server.Client, "app", "v1", ImageManifestJson(type, config, []), type);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Media_type_that_contradicts_content_type_answers_400_manifest_invalid()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        using var put = await PutManifestAsync(server.Client, "app", "v1", ImageManifestJson(OciManifest, config, []), DockerManifest);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Theory]
    [InlineData("application/vnd.docker.distribution.manifest.v1+prettyjws")]
    [InlineData("application/vnd.docker.distribution.manifest.v1+json")]
    public async Task Schema1_manifest_answers_400_manifest_invalid(string contentType)
    {
        await using var server = await RegistryServer.StartAsync();
        const string json = """{"schemaVersion":1,"name":"app","tag":"v1","architecture":"amd64","fsLayers":[],"history":[]}""";
        using var put = await PutManifestAsync(server.Client, "app", "v1", json, contentType);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Manifest_over_4_mib_answers_413_size_invalid()
    {
        await using var server = await RegistryServer.StartAsync();
        var json = """{"schemaVersion":2,"annotations":{"pad":""" + "\"" + new string('x', 4 * 1024 * 1024) + "\"}}";
        using var put = await PutManifestAsync(server.Client, "app", "big", json, OciManifest);
        await AssertErrorAsync(put, HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
    }

    [Fact]
    public async Task Manifest_of_exactly_4_mib_is_accepted()
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        var head = ImageManifestJson(OciManifest, config, [], "\"annotations\":{\"pad\":\"");
        var json = head + new string('x', 4 * 1024 * 1024 - head.Length - 3) + "\"}}";
        Assert.Equal(4 * 1024 * 1024, Encoding.UTF8.GetByteCount(json));
        await PushManifestAsync(server.Client, "app", "max", json, OciManifest);
    }

    [Fact]
    public async Task Streamed_manifest_over_4_mib_answers_413_size_invalid()
    {
        await using var server = await RegistryServer.StartAsync();
        var json = """{"schemaVersion":2,"annotations":{"pad":""" + "\"" + new string('x', 5 * 1024 * 1024) + "\"}}";
        var content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new MediaTypeHeaderValue(OciManifest);
        using var put = await server.Client.PutAsync("/v2/app/manifests/big", content);
        await AssertErrorAsync(put, HttpStatusCode.RequestEntityTooLarge, "SIZE_INVALID");
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Get_head_delete_of_an_unknown_manifest_answer_404_manifest_unknown(string reference)
    {
        await using var server = await RegistryServer.StartAsync();
        await PushImageAsync(server.Client, "app", "other");
        using var get = await server.Client.GetAsync($"/v2/app/manifests/{reference}");
        await AssertErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/manifests/{reference}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using var delete = await server.Client.DeleteAsync($"/v2/app/manifests/{reference}");
        await AssertErrorAsync(delete, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Theory]
    [InlineData("-leading-dash")]
    [InlineData(".leading-dot")]
    [InlineData("has!bang")]
    [InlineData("a%20b")]
    public async Task Invalid_tag_answers_400(string tag)
    {
        await using var server = await RegistryServer.StartAsync();
        using var get = await server.Client.GetAsync($"/v2/app/manifests/{tag}");
        await AssertErrorAsync(get, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        using var put = await PutManifestAsync(server.Client, "app", tag, "{}", OciManifest);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Tag_of_129_characters_answers_400()
    {
        await using var server = await RegistryServer.StartAsync();
        using var get = await server.Client.GetAsync($"/v2/app/manifests/{new string('a', 129)}");
        await AssertErrorAsync(get, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Theory]
    [InlineData("sha256:xyz")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha512:abcd")]
    public async Task Invalid_digest_reference_answers_400_digest_invalid(string reference)
    {
        await using var server = await RegistryServer.StartAsync();
        using var get = await server.Client.GetAsync($"/v2/app/manifests/{reference}");
        await AssertErrorAsync(get, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var put = await PutManifestAsync(server.Client, "app", reference, "{}", OciManifest);
        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    // A string that does not decode or a descriptor field of the wrong type is the client's fault, not the server's.
    [Theory]
    [InlineData("\"mediaType\":\"application/vnd.oci.image.manifest.v1+json@\"")]
    [InlineData("\"annotations\":{\"org.example\":\"@\"}")]
    [InlineData("\"annotations\":{\"@\":\"x\"}")]
    public async Task Invalid_utf8_in_a_manifest_string_answers_400_manifest_invalid(string member)
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        var parts = $$"""{"schemaVersion":2,{{member}},"config":{{config.ToJson()}},"layers":[]}""".Split('@');
        byte[] body = [.. Encoding.UTF8.GetBytes(parts[0]), 0xc3, 0x28, .. Encoding.UTF8.GetBytes(parts[1])];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var put = await server.Client.PutAsync("/v2/app/manifests/v1", content);

        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Theory]
    [InlineData("\"urls\":[1]")]
    [InlineData("\"urls\":\"https://example.com/layer\"")]
    [InlineData("\"platform\":\"linux/amd64\"")]
    [InlineData("\"annotations\":{\"a\":[]}")]
    public async Task A_descriptor_field_of_the_wrong_type_answers_400_manifest_invalid(string member)
    {
        await using var server = await RegistryServer.StartAsync();
        var config = await PushDescriptorAsync(server.Client, "app", OciConfig, Encoding.UTF8.GetBytes("{}"));
        var layer = await PushDescriptorAsync(server.Client, "app", OciLayer, RandomBytes(10));
        var json = ImageManifestJson(OciManifest, config, []).Replace("\"layers\":[]",
            $"\"layers\":[{layer.ToJson()[..^1]},{member}}}]", StringComparison.Ordinal);

        using var put = await PutManifestAsync(server.Client, "app", "v1", json, OciManifest);

        await AssertErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }
}
