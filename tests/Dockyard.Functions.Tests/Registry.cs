using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Functions.Tests;

/// <summary>Small V2 client steps for the worker tests.</summary>
internal static class Registry
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    public static string DigestOf(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    public static async Task<Uri> StartUploadAsync(HttpClient client, string repository)
    {
        using var start = await client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        return start.Headers.Location!;
    }

    /// <summary>PATCHes <paramref name="length"/> bytes at <paramref name="offset"/> with Content-Range and Content-Length; returns the next location.</summary>
    public static async Task<Uri> PatchChunkAsync(HttpClient client, Uri location, byte[] data, int offset, int length)
    {
        using var chunk = new ByteArrayContent(data, offset, length);
        chunk.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        chunk.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
        using var patch = await client.PatchAsync(location, chunk);
        Assert.True(patch.StatusCode == HttpStatusCode.Accepted, $"{patch.StatusCode}: {await patch.Content.ReadAsStringAsync()}");
        Assert.Equal($"0-{offset + length - 1}", patch.Headers.GetValues("Range").Single());
        return patch.Headers.Location!;
    }

    /// <summary>PATCHes the whole body as a stream of unknown length (no Content-Length: chunked on the wire).</summary>
    public static async Task<Uri> PatchStreamedAsync(HttpClient client, Uri location, byte[] data)
    {
        using var content = new StreamedContent(data);
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        using var patch = await client.SendAsync(request);
        Assert.True(patch.StatusCode == HttpStatusCode.Accepted, $"{patch.StatusCode}: {await patch.Content.ReadAsStringAsync()}");
        Assert.Null(request.Content.Headers.ContentLength);
        return patch.Headers.Location!;
    }

    public static async Task<string> CompleteAsync(HttpClient client, Uri location, byte[] data)
    {
        var digest = DigestOf(data);
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        using var put = await client.PutAsync(location + separator + "digest=" + digest, null);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"{put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
        return digest;
    }

    public static string Descriptor(string mediaType, byte[] data) =>
        $$"""{"mediaType":"{{mediaType}}","digest":"{{DigestOf(data)}}","size":{{data.Length}}}""";

    public static string ImageManifest(byte[] config, byte[] layer) => $$"""
        {"schemaVersion":2,"mediaType":"{{OciManifest}}","config":{{Descriptor("application/vnd.oci.image.config.v1+json", config)}},"layers":[{{Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)}}]}
        """;

    public static async Task<byte[]> PutManifestAsync(HttpClient client, string repository, string reference, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(OciManifest);
        using var response = await client.PutAsync($"/v2/{repository}/manifests/{reference}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return bytes;
    }

    /// <summary>A body written in 16 KiB pieces whose length is not known in advance.</summary>
    private sealed class StreamedContent(byte[] data) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < data.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(data.AsMemory(offset, Math.Min(16 * 1024, data.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
