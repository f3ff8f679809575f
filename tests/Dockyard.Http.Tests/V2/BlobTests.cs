using System.Net;
using System.Net.Http.Headers;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

public sealed class BlobTests
{
    [Fact]
    public async Task Head_answers_length_and_digest_without_a_body()
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(1000);
        var digest = await PushBlobAsync(server.Client, "library/app", data);

        using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/library/app/blobs/{digest}");
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000, response.Content.Headers.ContentLength);
        Assert.Equal(digest, Header(response, "Docker-Content-Digest"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_returns_the_bytes_with_length_and_digest()
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(4096);
        var digest = await PushBlobAsync(server.Client, "app", data);

        using var response = await server.Client.GetAsync($"/v2/app/blobs/{digest}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4096, response.Content.Headers.ContentLength);
        Assert.Equal(digest, Header(response, "Docker-Content-Digest"));
        Assert.Equal(data, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Multi_mebibyte_blob_and_a_range_across_read_chunks_come_back_exactly()
    {
        // The body is read from disk in 1 MiB chunks; sizes and offsets off those boundaries catch a slice error.
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes((3 << 20) + 12345);
        var digest = await PushBlobAsync(server.Client, "big/app", data);

        using (var whole = await server.Client.GetAsync($"/v2/big/app/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(data, await whole.Content.ReadAsByteArrayAsync());
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/big/app/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue((1 << 20) - 7, (2 << 20) + 99);
        using var part = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(data[((1 << 20) - 7)..((2 << 20) + 100)], await part.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Range_answers_206_with_content_range()
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(100);
        var digest = await PushBlobAsync(server.Client, "app", data);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(10, 19);
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 10-19/100", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(10, response.Content.Headers.ContentLength);
        Assert.Equal(data[10..20], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Open_ended_range_runs_to_the_end()
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(100);
        var digest = await PushBlobAsync(server.Client, "app", data);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(90, null);
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 90-99/100", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(data[90..], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Suffix_range_returns_the_last_bytes()
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(100);
        var digest = await PushBlobAsync(server.Client, "app", data);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(null, 5);
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 95-99/100", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(data[95..], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Unsatisfiable_range_answers_416()
    {
        await using var server = await RegistryServer.StartAsync();
        var digest = await PushBlobAsync(server.Client, "app", RandomBytes(100));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{digest}");
        request.Headers.Range = new RangeHeaderValue(200, 300);
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */100", response.Content.Headers.ContentRange!.ToString());
        await AssertErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_INVALID");
        // An error must not be cacheable for a year nor carry the blob's validators.
        Assert.Null(response.Headers.CacheControl?.MaxAge);
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task Delete_answers_202_and_the_blob_is_then_unknown()
    {
        await using var server = await RegistryServer.StartAsync();
        var digest = await PushBlobAsync(server.Client, "app", RandomBytes(10));

        using (var deleted = await server.Client.DeleteAsync($"/v2/app/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }
        using (var get = await server.Client.GetAsync($"/v2/app/blobs/{digest}"))
        {
            await AssertErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        }
        using var again = await server.Client.DeleteAsync($"/v2/app/blobs/{digest}");
        await AssertErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Blob_of_another_repository_is_not_visible()
    {
        await using var server = await RegistryServer.StartAsync();
        var digest = await PushBlobAsync(server.Client, "one", RandomBytes(10));

        using var get = await server.Client.GetAsync($"/v2/two/blobs/{digest}");
        await AssertErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/two/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Unknown_blob_answers_404_blob_unknown()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync($"/v2/app/blobs/{DigestOf([1, 2, 3])}");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Theory]
    [InlineData("sha256:xyz")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256")]
    public async Task Invalid_digest_answers_400_digest_invalid(string digest)
    {
        await using var server = await RegistryServer.StartAsync();
        using var get = await server.Client.GetAsync($"/v2/app/blobs/{digest}");
        await AssertErrorAsync(get, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        using var delete = await server.Client.DeleteAsync($"/v2/app/blobs/{digest}");
        await AssertErrorAsync(delete, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Sha512_blob_is_served_by_head_and_get()
    {
        await using var server = await RegistryServer.StartAsync();
        var data = RandomBytes(777);
        var digest = await PushBlobAsync(server.Client, "app", data, "sha512");
        Assert.StartsWith("sha512:", digest);

        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(777, head.Content.Headers.ContentLength);
        using var get = await server.Client.GetAsync($"/v2/app/blobs/{digest}");
        Assert.Equal(digest, Header(get, "Docker-Content-Digest"));
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
    }
}
