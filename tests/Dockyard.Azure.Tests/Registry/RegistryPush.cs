using System.Net;
using System.Net.Http.Headers;
using Dockyard.Conformance.Blobs;
using Dockyard.Core.Names;

namespace Dockyard.Azure.Tests.Registry;

/// <summary>Plain distribution-API calls for pushing and pulling blobs, as a docker client makes them.</summary>
internal static class RegistryPush
{
    public static async Task<Uri> StartUploadAsync(HttpClient client, string repository)
    {
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return new Uri(client.BaseAddress!, response.Headers.Location!);
    }

    /// <summary>PATCHes <paramref name="body"/> as the bytes from <paramref name="start"/>; the caller checks the answer.</summary>
    public static async Task<HttpResponseMessage> PatchAsync(HttpClient client, Uri location, HttpContent body, long start, long length)
    {
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        body.Headers.ContentLength = length;
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = body };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> PutAsync(HttpClient client, Uri location, Digest digest, HttpContent? body = null)
    {
        var separator = location.Query.Length > 0 ? "&" : "?";
        return await client.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest.Value)), body);
    }

    /// <summary>The digest of <see cref="PatternStream"/>(length, seed), computed by streaming it.</summary>
    public static Digest PatternDigest(long length, int seed)
    {
        using var hash = Digest.CreateHash(Digest.Sha256);
        using var stream = new PatternStream(length, seed, maxRead: 1 << 20);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }
        return Digest.FromHash(Digest.Sha256, hash.GetHashAndReset());
    }

    /// <summary>True when the response body is exactly <see cref="PatternStream"/>(length, seed), compared while streaming.</summary>
    public static async Task AssertPatternAsync(HttpResponseMessage response, long length, int seed)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 20];
        long position = 0;
        int n;
        while ((n = await body.ReadAsync(buffer)) > 0)
        {
            var expected = PatternStream.Bytes(position, n, seed);
            Assert.True(buffer.AsSpan(0, n).SequenceEqual(expected), $"bytes differ near offset {position}");
            position += n;
        }
        Assert.Equal(length, position);
    }
}
