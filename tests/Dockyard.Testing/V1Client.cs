using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Dockyard.Testing;

/// <summary>
/// Replays the docker 1.x client's V1 push and pull request by request (registry/session.go), asserting every status,
/// header and checksum on the way. Basic credentials (or none) go to the index requests, the V1 token to the rest.
/// </summary>
public sealed class V1Client(HttpClient http, string? user = null, string? password = null)
{
    /// <summary>Pushes <paramref name="images"/> (base first) and tags the last one; returns the write token.</summary>
    public async Task<string> PushAsync(string repository, string tag, IReadOnlyList<V1Image> images)
    {
        var announce = JsonSerializer.Serialize(images.Select(i => new { id = i.Id }));
        using var index = await SendAsync(HttpMethod.Put, $"/v1/repositories/{repository}/", Basic(), Json(announce), ("X-Docker-Token", "true"));
        await ExpectAsync(index, HttpStatusCode.OK);
        var token = Header(index, "X-Docker-Token");
        Assert.Matches("^signature=[^,]+,repository=\"[a-z0-9/._-]+\",access=write$", token);
        Assert.Equal(http.BaseAddress!.Authority, Header(index, "X-Docker-Endpoints"));
        Assert.Equal("0.9", Header(index, "X-Docker-Registry-Version"));
        foreach (var image in images)
        {
            using (var lookup = await SendAsync(HttpMethod.Get, $"/v1/images/{image.Id}/json", TokenAuth(token)))
            {
                Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
            }
            using (var json = await SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/json", TokenAuth(token), new ByteArrayContent(image.Json)))
            {
                await ExpectAsync(json, HttpStatusCode.OK);
            }
            using (var layer = await SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/layer", TokenAuth(token), Chunked(image.Layer)))
            {
                await ExpectAsync(layer, HttpStatusCode.OK);
            }
            using var checksum = await SendAsync(HttpMethod.Put, $"/v1/images/{image.Id}/checksum", TokenAuth(token), null,
                ("X-Docker-Checksum", "tarsum+sha256:" + new string('0', 64)), ("X-Docker-Checksum-Payload", image.PayloadChecksum));
            await ExpectAsync(checksum, HttpStatusCode.OK);
        }
        using (var tagged = await SendAsync(HttpMethod.Put, $"/v1/repositories/{repository}/tags/{tag}", TokenAuth(token), Json($"\"{images[^1].Id}\"")))
        {
            await ExpectAsync(tagged, HttpStatusCode.OK);
        }
        using var done = await SendAsync(HttpMethod.Put, $"/v1/repositories/{repository}/images", Basic(), Json(announce), ("X-Docker-Token", "true"));
        await ExpectAsync(done, HttpStatusCode.NoContent);
        return token;
    }

    /// <summary>Pulls the tag: image list with a read token, tags, ancestry, then each image's JSON and layer (base first).</summary>
    public async Task<IReadOnlyList<(string Id, byte[] Json, byte[] Layer, long Size, string Checksum)>> PullAsync(string repository, string tag)
    {
        using var index = await SendAsync(HttpMethod.Get, $"/v1/repositories/{repository}/images", Basic(), null, ("X-Docker-Token", "true"));
        var listed = await ExpectAsync(index, HttpStatusCode.OK);
        var token = Header(index, "X-Docker-Token");
        Assert.EndsWith("access=read", token);
        Assert.Equal(http.BaseAddress!.Authority, Header(index, "X-Docker-Endpoints"));
        var ids = listed.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToHashSet();
        using var tags = await SendAsync(HttpMethod.Get, $"/v1/repositories/{repository}/tags", TokenAuth(token));
        var top = (await ExpectAsync(tags, HttpStatusCode.OK)).GetProperty(tag).GetString()!;
        Assert.Contains(top, ids);
        using var ancestry = await SendAsync(HttpMethod.Get, $"/v1/images/{top}/ancestry", TokenAuth(token));
        var chain = (await ExpectAsync(ancestry, HttpStatusCode.OK)).EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(top, chain[0]);
        var result = new List<(string, byte[], byte[], long, string)>();
        foreach (var id in Enumerable.Reverse(chain))
        {
            using var json = await SendAsync(HttpMethod.Get, $"/v1/images/{id}/json", TokenAuth(token));
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            var size = long.Parse(Header(json, "X-Docker-Size"), System.Globalization.CultureInfo.InvariantCulture);
            var checksum = Header(json, "X-Docker-Checksum-Payload");
            using var layer = await SendAsync(HttpMethod.Get, $"/v1/images/{id}/layer", TokenAuth(token));
            Assert.Equal(HttpStatusCode.OK, layer.StatusCode);
            var bytes = await layer.Content.ReadAsByteArrayAsync();
            Assert.Equal(size, bytes.Length);
            result.Add((id, await json.Content.ReadAsByteArrayAsync(), bytes, size, checksum));
        }
        return result;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? authorization, HttpContent? content = null,
        params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = authorization;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return http.SendAsync(request);
    }

    public AuthenticationHeaderValue? Basic() =>
        user is null ? null : new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static AuthenticationHeaderValue TokenAuth(string token) => new("Token", token);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A body sent with Transfer-Encoding: chunked, as docker 1.x sends layers.</summary>
    public static HttpContent Chunked(byte[] data)
    {
        var content = new StreamContent(new UnseekableStream(data));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: no {name} header");

    /// <summary>Asserts the status (showing the body when it differs) and returns the body parsed as JSON (default when empty).</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private sealed class UnseekableStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
