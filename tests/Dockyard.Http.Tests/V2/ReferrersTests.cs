using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

public sealed class ReferrersTests
{
    private const string SignatureType = "application/vnd.cncf.notary.signature";
    private const string SbomConfigType = "application/vnd.example.sbom.config+json";
    private const string MediaTypesEmpty = "application/vnd.oci.empty.v1+json";

    [Fact]
    public async Task No_referrers_answers_an_empty_index()
    {
        await using var server = await RegistryServer.StartAsync();
        var subject = await PushImageAsync(server.Client, "app", "v1");

        using var response = await server.Client.GetAsync($"/v2/app/referrers/{subject.Digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OciIndex, response.Content.Headers.ContentType!.MediaType);
        using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, index.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(OciIndex, index.RootElement.GetProperty("mediaType").GetString());
        Assert.Equal(0, index.RootElement.GetProperty("manifests").GetArrayLength());
        Assert.False(response.Headers.Contains("OCI-Filters-Applied"));
    }

    [Fact]
    public async Task Referrers_of_an_unknown_subject_answer_an_empty_index()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync($"/v2/app/referrers/{DigestOf([1, 2, 3])}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, index.RootElement.GetProperty("manifests").GetArrayLength());
    }

    [Fact]
    public async Task Lists_referrers_with_artifact_type_and_annotations()
    {
        await using var server = await RegistryServer.StartAsync();
        var subject = await PushImageAsync(server.Client, "app", "v1");
        var signature = await PushReferrerAsync(server.Client, subject, MediaTypesEmpty, SignatureType, "\"annotations\":{\"org.example.signed\":\"yes\"}");
        var sbom = await PushReferrerAsync(server.Client, subject, SbomConfigType, null, "\"annotations\":{\"org.example.kind\":\"sbom\"}");
        await PushImageAsync(server.Client, "app", "unrelated");

        using var response = await server.Client.GetAsync($"/v2/app/referrers/{subject.Digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OciIndex, response.Content.Headers.ContentType!.MediaType);
        var manifests = await ReadAsync(response);
        Assert.Equal(2, manifests.Count);
        var bySignature = manifests.Single(m => m.GetProperty("digest").GetString() == signature.Digest);
        Assert.Equal(OciManifest, bySignature.GetProperty("mediaType").GetString());
        Assert.Equal(signature.Size, bySignature.GetProperty("size").GetInt64());
        Assert.Equal(SignatureType, bySignature.GetProperty("artifactType").GetString());
        Assert.Equal("yes", bySignature.GetProperty("annotations").GetProperty("org.example.signed").GetString());
        var bySbom = manifests.Single(m => m.GetProperty("digest").GetString() == sbom.Digest);
        Assert.Equal(SbomConfigType, bySbom.GetProperty("artifactType").GetString());
        Assert.Equal("sbom", bySbom.GetProperty("annotations").GetProperty("org.example.kind").GetString());
    }

    [Fact]
    public async Task Artifact_type_filter_is_applied_and_announced()
    {
        await using var server = await RegistryServer.StartAsync();
        var subject = await PushImageAsync(server.Client, "app", "v1");
        var signature = await PushReferrerAsync(server.Client, subject, MediaTypesEmpty, SignatureType, null);
        await PushReferrerAsync(server.Client, subject, SbomConfigType, null, null);

        using var response = await server.Client.GetAsync($"/v2/app/referrers/{subject.Digest}?artifactType={Uri.EscapeDataString(SignatureType)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("artifactType", Header(response, "OCI-Filters-Applied"));
        var manifests = await ReadAsync(response);
        Assert.Equal(signature.Digest, Assert.Single(manifests).GetProperty("digest").GetString());

        using var none = await server.Client.GetAsync($"/v2/app/referrers/{subject.Digest}?artifactType=application/none");
        Assert.Equal("artifactType", Header(none, "OCI-Filters-Applied"));
        Assert.Empty(await ReadAsync(none));
    }

    [Fact]
    public async Task Index_with_subject_is_listed_as_a_referrer()
    {
        await using var server = await RegistryServer.StartAsync();
        var subject = await PushImageAsync(server.Client, "app", "v1");
        var child = await PushImageAsync(server.Client, "app", "child");
        var json = IndexJson(OciIndex, [child], $"\"artifactType\":\"application/vnd.example.bundle\",\"subject\":{subject.ToJson()}");
        var index = await PushManifestAsync(server.Client, "app", DigestOf(Encoding.UTF8.GetBytes(json)), json, OciIndex);

        using var response = await server.Client.GetAsync($"/v2/app/referrers/{subject.Digest}");

        var entry = Assert.Single(await ReadAsync(response));
        Assert.Equal(index.Digest, entry.GetProperty("digest").GetString());
        Assert.Equal(OciIndex, entry.GetProperty("mediaType").GetString());
        Assert.Equal("application/vnd.example.bundle", entry.GetProperty("artifactType").GetString());
    }

    [Fact]
    public async Task Deleted_referrer_is_no_longer_listed()
    {
        await using var server = await RegistryServer.StartAsync();
        var subject = await PushImageAsync(server.Client, "app", "v1");
        var signature = await PushReferrerAsync(server.Client, subject, MediaTypesEmpty, SignatureType, null);

        using (var delete = await server.Client.DeleteAsync($"/v2/app/manifests/{signature.Digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }
        using var response = await server.Client.GetAsync($"/v2/app/referrers/{subject.Digest}");
        Assert.Empty(await ReadAsync(response));
    }

    [Fact]
    public async Task Referrers_are_scoped_to_the_repository()
    {
        await using var server = await RegistryServer.StartAsync();
        var subject = await PushImageAsync(server.Client, "app", "v1");
        await PushReferrerAsync(server.Client, subject, MediaTypesEmpty, SignatureType, null);

        using var response = await server.Client.GetAsync($"/v2/other/referrers/{subject.Digest}");
        Assert.Empty(await ReadAsync(response));
    }

    [Theory]
    [InlineData("sha256:xyz")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("latest")]
    public async Task Invalid_subject_digest_answers_400_digest_invalid(string digest)
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync($"/v2/app/referrers/{digest}");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    /// <summary>Pushes an artifact manifest naming <paramref name="subject"/>, with a config of <paramref name="configType"/>.</summary>
    private static async Task<TestDescriptor> PushReferrerAsync(HttpClient client, TestDescriptor subject, string configType,
        string? artifactType, string? annotations)
    {
        var config = await PushDescriptorAsync(client, "app", configType,
            configType == MediaTypesEmpty ? Encoding.UTF8.GetBytes("{}") : Encoding.UTF8.GetBytes($$"""{"id":"{{Guid.NewGuid()}}"}"""));
        var layer = await PushDescriptorAsync(client, "app", "application/octet-stream", RandomBytes(20));
        var members = new List<string> { $"\"subject\":{subject.ToJson()}" };
        if (artifactType is not null)
        {
            members.Add($"\"artifactType\":\"{artifactType}\"");
        }
        if (annotations is not null)
        {
            members.Add(annotations);
        }
        var json = ImageManifestJson(OciManifest, config, [layer], string.Join(",", members));
        return await PushManifestAsync(client, "app", DigestOf(Encoding.UTF8.GetBytes(json)), json, OciManifest);
    }

    private static async Task<List<JsonElement>> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.Clone()).ToList();
    }
}
