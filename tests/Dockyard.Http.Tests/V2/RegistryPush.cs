using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dockyard.Http.Tests.V2;

/// <summary>A descriptor as a test pushes it: what a manifest says about a blob or a child manifest.</summary>
public sealed record TestDescriptor(string MediaType, string Digest, long Size)
{
    public string ToJson() => $$"""{"mediaType":"{{MediaType}}","digest":"{{Digest}}","size":{{Size}}}""";
}

/// <summary>Helpers that push blobs and manifests over HTTP and check the spec's error envelope.</summary>
public static class RegistryPush
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    public static string DigestOf(byte[] data, string algorithm = "sha256") => algorithm switch
    {
        "sha512" => "sha512:" + Convert.ToHexStringLower(SHA512.HashData(data)),
        _ => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data)),
    };

    /// <summary>Pushes a blob monolithically (<c>POST ?digest=</c>) and returns its digest.</summary>
    public static async Task<string> PushBlobAsync(HttpClient client, string repository, byte[] data, string algorithm = "sha256")
    {
        var digest = DigestOf(data, algorithm);
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/?digest={digest}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    /// <summary>Pushes a blob and returns a descriptor of it.</summary>
    public static async Task<TestDescriptor> PushDescriptorAsync(HttpClient client, string repository, string mediaType, byte[] data) =>
        new(mediaType, await PushBlobAsync(client, repository, data), data.Length);

    /// <summary>Starts an upload session and returns its (absolute) Location.</summary>
    public static async Task<Uri> StartUploadAsync(HttpClient client, string repository)
    {
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Appends a query parameter to an upload Location, which may already carry a query.</summary>
    public static string WithQuery(Uri location, string query) =>
        location + (string.IsNullOrEmpty(location.Query) ? "?" : "&") + query;

    public static async Task<HttpResponseMessage> PutManifestAsync(HttpClient client, string repository, string reference, string json, string? mediaType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (mediaType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }
        return await client.PutAsync($"/v2/{repository}/manifests/{reference}", content);
    }

    /// <summary>Pushes a manifest (asserting 201) and returns its descriptor.</summary>
    public static async Task<TestDescriptor> PushManifestAsync(HttpClient client, string repository, string reference, string json, string mediaType)
    {
        using var response = await PutManifestAsync(client, repository, reference, json, mediaType);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var bytes = Encoding.UTF8.GetBytes(json);
        var digest = DigestOf(bytes);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        return new TestDescriptor(mediaType, digest, bytes.Length);
    }

    /// <summary>An image manifest JSON; <paramref name="extra"/> is raw JSON members appended to the object.</summary>
    public static string ImageManifestJson(string mediaType, TestDescriptor config, IEnumerable<TestDescriptor> layers, string? extra = null) =>
        $$"""{"schemaVersion":2,"mediaType":"{{mediaType}}","config":{{config.ToJson()}},"layers":[{{string.Join(",", layers.Select(l => l.ToJson()))}}]{{(extra is null ? "" : "," + extra)}}}""";

    public static string IndexJson(string mediaType, IEnumerable<TestDescriptor> manifests, string? extra = null) =>
        $$"""{"schemaVersion":2,"mediaType":"{{mediaType}}","manifests":[{{string.Join(",", manifests.Select(m => m.ToJson()))}}]{{(extra is null ? "" : "," + extra)}}}""";

    /// <summary>Pushes a config and one layer, then an OCI image manifest naming them under <paramref name="reference"/>.</summary>
    public static async Task<TestDescriptor> PushImageAsync(HttpClient client, string repository, string reference,
        string mediaType = OciManifest, string? extra = null)
    {
        var docker = mediaType == DockerManifest;
        var config = await PushDescriptorAsync(client, repository, docker ? DockerConfig : OciConfig,
            Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","n":"{{Guid.NewGuid()}}"}"""));
        var layer = await PushDescriptorAsync(client, repository, docker ? DockerLayer : OciLayer, RandomBytes(1024));
        return await PushManifestAsync(client, repository, reference, ImageManifestJson(mediaType, config, [layer], extra), mediaType);
    }

    /// <summary>PATCHes one chunk of an upload with a Content-Range of <paramref name="range"/>.</summary>
    public static async Task<HttpResponseMessage> PatchChunkAsync(HttpClient client, Uri location, byte[] chunk, string range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(chunk) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.TryAddWithoutValidation("Content-Range", range);
        return await client.SendAsync(request);
    }

    /// <summary>Asserts the status and that the body is the spec's error envelope whose first error has <paramref name="code"/>.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var errors = document.RootElement.GetProperty("errors");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.Equal(code, errors[0].GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.String, errors[0].GetProperty("message").ValueKind);
    }

    /// <summary>Asserts the headers a client resumes an upload from: its Location, the Range it holds and its UUID.</summary>
    public static void AssertResumable(HttpResponseMessage response, Uri location, string range)
    {
        Assert.Equal(location, response.Headers.Location);
        Assert.Equal(range, Header(response, "Range"));
        Assert.Equal(location.AbsolutePath.Split('/')[^1], Header(response, "Docker-Upload-UUID"));
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : throw new Xunit.Sdk.XunitException($"response has no {name} header");

    public static bool HasHeader(HttpResponseMessage response, string name) =>
        response.Headers.Contains(name) || response.Content.Headers.Contains(name);
}

/// <summary>A read-only stream that cannot seek or tell its length, so HttpClient must send it chunked.</summary>
internal sealed class NonSeekableStream(byte[] data) : Stream
{
    private readonly MemoryStream inner = new(data, writable: false);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 8192));
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
