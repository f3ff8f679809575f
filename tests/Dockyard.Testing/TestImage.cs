using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Dockyard.Testing;

/// <summary>A small OCI image (a config and one layer, both unique) pushed over the V2 API; for tests about manifests, not blobs.</summary>
public sealed record TestImage(string Repository, string Digest, string MediaType, int Size)
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>Pushes the blobs, then the manifest under <paramref name="reference"/> (a tag or its digest); asserts each step.</summary>
    public static async Task<TestImage> PushAsync(HttpClient client, string repository, string reference)
    {
        var config = await PushBlobAsync(client, repository, Encoding.UTF8.GetBytes($"{{\"id\":\"{Guid.NewGuid()}\"}}"));
        var layer = await PushBlobAsync(client, repository, RandomNumberGenerator.GetBytes(64));
        var json = $$"""
            {"schemaVersion":2,"mediaType":"{{OciManifest}}",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config.Digest}}","size":{{config.Size}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{layer.Digest}}","size":{{layer.Size}}}]}
            """;
        var bytes = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(OciManifest);
        using var response = await client.PutAsync($"/v2/{repository}/manifests/{reference}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return new TestImage(repository, DigestOf(bytes), OciManifest, bytes.Length);
    }

    /// <summary>Pushes one blob monolithically (POST with the digest); asserts 201.</summary>
    public static async Task<(string Digest, int Size)> PushBlobAsync(HttpClient client, string repository, byte[] data)
    {
        var digest = DigestOf(data);
        using var content = new ByteArrayContent(data);
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (digest, data.Length);
    }

    /// <summary>The sha256 digest of <paramref name="data"/> as <c>sha256:hex</c>.</summary>
    public static string DigestOf(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));
}
